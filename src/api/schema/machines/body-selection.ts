import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Machine fields that read what Fly's summary bodies leave out (the config, checks and embedded events). */
const FULL_BODY_FIELDS = new Set(['image', 'cpus', 'cpuKind', 'memoryMb', 'config', 'metadata', 'events', 'checks']);

/** Per connection field of a parsed document (yoga reuses parsed documents, so this is computed once per query text). */
const memo = new WeakMap<FieldNode, boolean>();

type Fragments = GraphQLResolveInfo['fragments'];

/** Calls `visit` with every field of a selection set, through inline fragments and fragment spreads. */
function eachField(set: SelectionSetNode | undefined, fragments: Fragments, visit: (field: FieldNode) => boolean): boolean {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (visit(selection)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (eachField(selection.selectionSet, fragments, visit)) return true;
    } else {
      const fragment = fragments[selection.name.value];
      // A spread we cannot see into could select anything: ask for everything.
      if (!fragment || eachField(fragment.selectionSet, fragments, visit)) return true;
    }
  }
  return false;
}

const machineNeedsFull = (set: SelectionSetNode | undefined, fragments: Fragments) =>
  eachField(set, fragments, (field) => FULL_BODY_FIELDS.has(field.name.value));

/**
 * Whether a machine connection field selects anything Fly's summary bodies lack, through `nodes` or `edges.node`.
 * False lets the list be read with `summary=true`.
 */
export function connectionNeedsFullBodies(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  let needs = false;
  for (const node of info.fieldNodes) {
    let answer = memo.get(node);
    if (answer === undefined) {
      answer = eachField(node.selectionSet, info.fragments, (field) => {
        if (field.name.value === 'nodes') return machineNeedsFull(field.selectionSet, info.fragments);
        if (field.name.value === 'edges') {
          return eachField(field.selectionSet, info.fragments, (edge) =>
            edge.name.value === 'node' ? machineNeedsFull(edge.selectionSet, info.fragments) : false,
          );
        }
        return false;
      });
      memo.set(node, answer);
    }
    needs ||= answer;
  }
  return needs;
}
