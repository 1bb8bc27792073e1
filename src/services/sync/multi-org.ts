import { createResourceWatcher, type ResourceFlyClient, type ResourcePoll, type ResourceWatcher } from './resource-changes.js';

/** The orgs the sync job polls: the configured list (FLY_ORGS) when there is one, else the one org (FLY_ORG). */
export function syncedOrgs(fly: { org: string; orgs: readonly string[] }): string[] {
  return fly.orgs.length > 0 ? [...new Set(fly.orgs)] : [fly.org];
}

/** One resource watcher per organization, polled one after another as one (its events, then one commit for all). */
export function createOrgsResourceWatcher(fly: ResourceFlyClient, orgs: readonly string[]): ResourceWatcher {
  const watchers = orgs.map((org) => createResourceWatcher({ fly, org }));
  if (watchers.length === 1) return watchers[0];
  return {
    async poll(signal) {
      const polls: ResourcePoll[] = [];
      for (const watcher of watchers) polls.push(await watcher.poll(signal));
      return {
        events: polls.flatMap((p) => p.events),
        commit: () => {
          for (const p of polls) p.commit();
        },
      };
    },
  };
}
