/** Example operations GraphiQL opens with, so a first-time user can press run. */
export const exampleTabs = [
  {
    query: `# Every app, its machines, their latest events and health checks.
query Dashboard {
  apps {
    nodes {
      name
      status
      machines {
        nodes {
          machineId
          name
          state
          region
          image
          checks { name status }
          events(limit: 3) { type status source timestamp }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Is the gateway ready, and can it reach Fly?
query Health {
  health { ok mode checks { name ok latencyMs message } }
}
`,
  },
];
