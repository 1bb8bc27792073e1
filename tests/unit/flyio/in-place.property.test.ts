import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as appWire from '#src/flyio/wire/app.js';
import * as machineWire from '#src/flyio/wire/machine.js';
import * as metricsWire from '#src/flyio/wire/metrics.js';
import * as platformWire from '#src/flyio/wire/platform.js';
import * as postgresWire from '#src/flyio/wire/postgres.js';
import * as volumeWire from '#src/flyio/wire/volume.js';
import { canCheckInPlace, checkInPlace } from '#src/flyio/wire/in-place.js';

/** Every zod schema the wire modules export. */
const schemas: [string, z.ZodType][] = Object.entries({
  ...appWire,
  ...machineWire,
  ...metricsWire,
  ...platformWire,
  ...postgresWire,
  ...volumeWire,
} as Record<string, unknown>).filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType);

const anyJson = fc.jsonValue({ maxDepth: 2 });

/** Values shaped like `schema` most of the time, with a wrong piece here and there, and extra keys. */
function nearly(def: any, depth = 0): fc.Arbitrary<unknown> {
  const wrong = anyJson;
  const valid = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return fc.string({ maxLength: 6 });
      case 'boolean':
        return fc.boolean();
      case 'number':
        return fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.constant(2 ** 60));
      case 'unknown':
        return anyJson;
      case 'optional':
      case 'default':
        return fc.option(nearly(def.innerType._zod.def, depth), { nil: undefined });
      case 'nullable':
        return fc.option(nearly(def.innerType._zod.def, depth), { nil: null });
      case 'array':
        return depth > 3 ? fc.constant([]) : fc.array(nearly(def.element._zod.def, depth + 1), { maxLength: 3 });
      case 'record':
        return fc.dictionary(fc.string({ maxLength: 4 }), nearly(def.valueType._zod.def, depth + 1), { maxKeys: 3 });
      case 'union':
        return fc.oneof(...def.options.map((o: any) => nearly(o._zod.def, depth)));
      case 'object': {
        const fields = Object.fromEntries(Object.entries(def.shape).map(([k, v]: [string, any]) => [k, nearly(v._zod.def, depth + 1)]));
        return fc
          .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 4 }), anyJson, { maxKeys: 2 }))
          .map(([known, extra]) => ({ ...extra, ...known }));
      }
      default:
        return anyJson;
    }
  })();
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: wrong, weight: 1 });
}

describe('checking Fly bodies in place', () => {
  it('should exist for every wire schema (none falls back to zod for lack of support)', () => {
    const unsupported = schemas.filter(([, schema]) => !canCheckInPlace(schema)).map(([name]) => name);
    expect(schemas.length).toBeGreaterThan(10);
    expect(unsupported).toEqual([]);
  });

  for (const [name, schema] of schemas) {
    it(`should accept exactly what zod accepts for ${name}, and give the same value`, () => {
      fc.assert(
        fc.property(nearly((schema as any)._zod.def), (value) => {
          const expected = schema.safeParse(structuredClone(value));
          const checked = checkInPlace(schema, structuredClone(value));
          // The checker may refuse something zod accepts (then zod decides); it must never accept what zod refuses.
          if (checked) {
            expect(expected.success).toBe(true);
            expect(checked.data).toEqual(expected.data);
          }
          return true;
        }),
        { numRuns: 300 },
      );
    });
  }

  it('should accept the valid bodies zod accepts, without copying them', () => {
    const machine = {
      id: 'm1',
      state: 'started',
      config: { image: 'x', guest: { cpus: 1 }, metadata: { a: 'b' } },
      checks: [{ name: 'c', status: 'passing' }],
      extra: { kept: true },
    };
    const checked = checkInPlace(machineWire.flyMachineSchema, machine);
    expect(checked?.data).toBe(machine);
    const list = { apps: undefined as unknown };
    const apps = checkInPlace(appWire.flyListAppsResponseSchema, list);
    expect(apps?.data).toEqual({ apps: [] });
    expect(checkInPlace(machineWire.flyMachineSchema, { id: 'm1', state: 3 })).toBeUndefined();
    expect(checkInPlace(machineWire.flyMachineSchema, [])).toBeUndefined();
  });

  it('should leave a body with an own __proto__ key to zod (found by the property above), at any depth', () => {
    const top = JSON.parse('{"regions":[],"__proto__":false}');
    expect(checkInPlace(platformWire.flyRegionsResponseSchema, top)).toBeUndefined();
    expect(platformWire.flyRegionsResponseSchema.parse(top)).toEqual({ regions: [] });
    const nested = JSON.parse('{"id":"m1","state":"started","config":{"metadata":{"__proto__":"x","a":"b"}}}');
    expect(checkInPlace(machineWire.flyMachineSchema, nested)).toBeUndefined();
    expect(
      checkInPlace(machineWire.flyMachineSchema, JSON.parse('{"id":"m1","state":"started","config":{"metadata":{"a":"b"}}}')),
    ).toBeDefined();
  });

  it('should check a free-form object or array as a whole, still refusing the wrong container or an own __proto__', () => {
    const services = [{ protocol: 'tcp', ports: [{ port: 80 }] }, { anything: [1, 'two', null] }];
    const machine = { id: 'm1', state: 'started', config: { services, checks: { http: { type: 'http', port: 8080 } } } };
    expect(checkInPlace(machineWire.flyMachineSchema, machine)?.data).toBe(machine);
    expect(checkInPlace(machineWire.flyMachineSchema, { ...machine, config: { services: [1] } })).toBeUndefined();
    expect(checkInPlace(machineWire.flyMachineSchema, { ...machine, config: { checks: [] } })).toBeUndefined();
    expect(checkInPlace(machineWire.flyMachineSchema, { ...machine, config: { checks: { http: 'x' } } })).toBeUndefined();
    const withProto = JSON.parse('{"id":"m1","state":"started","config":{"services":[{"__proto__":{"a":1}}]}}');
    expect(checkInPlace(machineWire.flyMachineSchema, withProto)).toBeUndefined();
    const freeForm = z.array(z.unknown());
    expect(checkInPlace(freeForm, [{ a: 1 }, 'b'])?.data).toEqual([{ a: 1 }, 'b']);
    expect(checkInPlace(freeForm, { 0: 'a' })).toBeUndefined();
  });

  it('should check optional scalars as one step, refusing what zod refuses', () => {
    const base = { id: 'm1', state: 'started' };
    expect(checkInPlace(machineWire.flyMachineSchema, { ...base, name: undefined, cordoned: false })).toBeDefined();
    expect(checkInPlace(machineWire.flyMachineSchema, { ...base, name: 3 })).toBeUndefined();
    expect(checkInPlace(machineWire.flyMachineSchema, { ...base, cordoned: 'yes' })).toBeUndefined();
    const guest = (cpus: unknown) => ({ ...base, config: { guest: { cpus } } });
    expect(checkInPlace(machineWire.flyMachineSchema, guest(2))).toBeDefined();
    expect(checkInPlace(machineWire.flyMachineSchema, guest(1.5))).toBeUndefined();
    expect(checkInPlace(machineWire.flyMachineSchema, guest(2 ** 60))).toBeUndefined();
    expect(checkInPlace(machineWire.flyMachineSchema, guest(null))).toBeUndefined();
    const ratio = z.object({ value: z.number().optional() }).loose();
    expect(checkInPlace(ratio, { value: 0.5 })).toBeDefined();
    expect(checkInPlace(ratio, { value: Number.NaN })).toBeUndefined();
    expect(checkInPlace(ratio, { value: '0.5' })).toBeUndefined();
  });
});
