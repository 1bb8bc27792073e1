/** One GraphiQL tab: an operation and, where it needs them, its variables (JSON text). */
export interface ExampleTab {
  query: string;
  variables?: string;
}

/**
 * Example operations GraphiQL opens with, so a first-time user can press run. The demo emulator's apps and
 * machines make every example work out of the box; a test validates each against the schema.
 */
export const exampleTabs: ExampleTab[] = [
  {
    query: `# Every app with its health, its machines, their latest events and health checks.
# One Fly call lists the apps and one per app lists its machines: see extensions.upstreamCalls.
query Dashboard {
  apps {
    nodes {
      name
      status
      health { status machineCount checks { passing warning critical } }
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
    query: `# Restart a machine and wait (at most 30 s) until it is started again.
# Pick a machineId from the Dashboard tab. Failures come back as typed errors, not just strings.
mutation Restart($app: String!, $machineId: String!) {
  restartMachine(input: { app: $app, machineId: $machineId, wait: { timeoutSeconds: 30 } }) {
    __typename
    ... on RestartMachineSuccess {
      machine { machineId state version events(limit: 3) { type status timestamp } }
      wait { targetState reached }
    }
    ... on Error { code message retryable }
    ... on InvalidInputError { issues { field message } }
  }
}
`,
    variables: JSON.stringify({ app: 'demo-web', machineId: 'paste-a-machine-id' }, null, 2),
  },
  {
    query: `# Take a machine's lease: only the holder of the nonce may change the machine until it expires.
mutation Lease($app: String!, $machineId: String!) {
  acquireMachineLease(input: { app: $app, machineId: $machineId, ttlSeconds: 60, description: "trying things out" }) {
    __typename
    ... on AcquireMachineLeaseSuccess { nonce lease { owner expiresAt } }
    ... on Error { code message }
  }
}
`,
    variables: JSON.stringify({ app: 'demo-web', machineId: 'paste-a-machine-id' }, null, 2),
  },
  {
    query: `# Watch an app's machines change state live (start or stop one from another tab).
# RESYNC means events may have been missed: refetch what you show, then keep listening.
subscription Watch($app: String!) {
  machineStateChanged(app: $app) {
    kind
    seq
    machineId
    from
    to
    machine { state region }
    resyncReason
  }
}
`,
    variables: JSON.stringify({ app: 'demo-web' }, null, 2),
  },
  {
    query: `# Roll a new image out to every machine of demo-web, one machine first, then pools of a third.
# Try image "registry.fly.io/demo-web:v43-unhealthy" (checks stay critical) or "…:v43-crash" (exits after boot)
# to watch the first machine fail and be rolled back. Copy the deployment id into the next tab.
mutation Deploy($input: DeployAppInput!) {
  deployApp(input: $input) {
    __typename
    ... on DeployAppSuccess {
      deployment { id status strategy maxUnavailable machines { machineId skipLaunch previousImage targetImage } }
    }
    ... on Error { code message }
    ... on InvalidInputError { issues { field message } }
  }
}
`,
    variables: JSON.stringify(
      {
        input: {
          app: 'demo-web',
          image: 'registry.fly.io/demo-web:v43',
          strategy: 'ROLLING',
          maxUnavailable: 0.33,
          waitTimeoutSeconds: 60,
        },
      },
      null,
      2,
    ),
  },
  {
    query: `# A live dashboard: the answer, then a new one whenever an app or machine on it changes (webhooks, the sync
# job, mutations), at most once per LIVE_THROTTLE_MS. Run it, then restart a machine from the Restart tab.
# @live(patch: true) sends JSON patches against the previous result instead (see docs/EVENTS.md).
query LiveDashboard @live {
  apps {
    nodes {
      name
      health { status machineCount }
      machines { nodes { machineId name state region updatedAt } }
    }
  }
}
`,
  },
  {
    query: `# Follow a deployment: every step of every machine in order (from the first), then its final status.
subscription DeployProgress($id: String!) {
  deploymentProgress(id: $id) {
    kind
    status
    error
    step { seq machineId step at message }
  }
}
`,
    variables: JSON.stringify({ id: 'paste-the-deployment-id' }, null, 2),
  },
  {
    query: `# Is the gateway ready, and can it reach Fly?
query Health {
  health { ok mode checks { name ok latencyMs message } }
}
`,
  },
];
