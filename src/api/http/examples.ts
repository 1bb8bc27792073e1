/** One GraphiQL tab: an operation and, where it needs them, its variables (JSON text). */
export interface ExampleTab {
  query: string;
  variables?: string;
}

/** What the examples act on: in demo mode real ids read at request time, else placeholders to replace. */
export interface ExampleTargets {
  app: string;
  /** A started machine of `app`. */
  machineId: string;
  /** The latest deployment of `app` this gateway started, once there is one. */
  deploymentId?: string;
  /** A volume of `app`, for the snapshot example. */
  volumeId?: string;
  /** A hostname of `app` with a certificate (the Certificate example). @default www.example.com */
  hostname?: string;
}

/** Live mode: the gateway does not list a real org's machines on a page anyone may open. */
const placeholderTargets: ExampleTargets = { app: 'your-app', machineId: 'a-machineId-from-the-Dashboard-tab' };

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Example operations GraphiQL opens with, so a first-time user can press run. In demo mode `targets` holds ids from
 * the emulator, which change at every start, so the page computes them per request; a test validates each
 * example against the schema and a browser test runs them. Comment lines stay short (56 characters): the editor does not wrap, and at
 * 1400 pixels wide it shows about 57.
 */
export function exampleTabs(targets: ExampleTargets = placeholderTargets): ExampleTab[] {
  const { app, machineId } = targets;
  const machine = json({ app, machineId });
  return [
    {
      query: `# Every app with its health, its machines, their
# latest events and health checks. One Fly call lists
# the apps and one per app lists its machines: see
# extensions.upstreamCalls.
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
      query: `# Restart a machine and wait (at most 30 s) until it
# runs again. Failures come back as typed errors, not
# just strings.
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
      variables: machine,
    },
    {
      query: `# Run a command in a started machine and read what it
# printed (a write: it is audited, never retried). In
# demo mode the machine is one that was started when
# this page loaded; exit code 127: no such command.
mutation Exec($app: String!, $machineId: String!) {
  execMachine(input: { app: $app, machineId: $machineId, command: ["uname", "-a"], timeoutSeconds: 10 }) {
    __typename
    ... on ExecMachineSuccess { exitCode stdout stderr }
    ... on Error { code message }
    ... on InvalidInputError { issues { field message } }
  }
}
`,
      variables: machine,
    },
    {
      query: `# Take a machine's lease: until it expires (15 s) only
# the holder of the nonce may change the machine, and
# Deploy answers LEASE_HELD. ReleaseLease gives it back.
mutation Lease($app: String!, $machineId: String!) {
  acquireMachineLease(input: { app: $app, machineId: $machineId, ttlSeconds: 15, description: "trying things out" }) {
    __typename
    ... on AcquireMachineLeaseSuccess { nonce lease { owner expiresAt } }
    ... on Error { code message }
  }
}
`,
      variables: machine,
    },
    {
      query: `# Give a lease back. The nonce proves you hold it:
# paste the one the Lease tab answered (it is shown
# only once).
mutation ReleaseLease($app: String!, $machineId: String!, $nonce: String!) {
  releaseMachineLease(input: { app: $app, machineId: $machineId, nonce: $nonce }) {
    __typename
    ... on Error { code message }
  }
}
`,
      variables: json({ app, machineId, nonce: 'paste-the-nonce-from-the-Lease-answer' }),
    },
    {
      query: `# Watch an app's machines change state live (start or
# stop one from another tab). RESYNC means events may
# have been missed: refetch, then keep listening.
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
      variables: json({ app }),
    },
    {
      query: `# Follow an app's logs live: every line once, in
# order, whatever the number of followers (the gateway
# polls Fly once per app). Add machineId or level
# ("error") to narrow it; logs(app, first) in a query
# reads the history.
subscription Logs($app: String!) {
  logs(app: $app) {
    kind
    seq
    line { timestamp machineId region level message }
    resyncReason
  }
}
`,
      variables: json({ app }),
    },
    {
      query: `# Roll a new image out to every machine of the app:
# one machine first, then pools of a third. The tags
# "v43-unhealthy" (checks stay critical) and
# "v43-crash" (exits after boot) fail the first
# machine and roll back. Then reload this page: the
# DeployProgress tab follows the deployment.
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
      variables: json({
        input: {
          app,
          image: `registry.fly.io/${app}:v43`,
          strategy: 'ROLLING',
          maxUnavailable: 0.33,
          waitTimeoutSeconds: 60,
        },
      }),
    },
    {
      query: `# Follow a deployment: every step of every machine in
# order (from the first), then its final status. The
# id is the latest deployment when this page loaded:
# run Deploy, then reload the page.
subscription DeployProgress($id: String!) {
  deploymentProgress(id: $id) {
    kind
    status
    error
    step { seq machineId step at message }
  }
}
`,
      variables: json({ id: targets.deploymentId ?? 'run-the-Deploy-tab-then-reload-this-page' }),
    },
    {
      query: `# A live dashboard: the answer, then a new one when
# an app or machine on it changes (webhooks, the sync
# job, mutations), at most once per LIVE_THROTTLE_MS.
# Run it, then run Restart. @live(patch: true) sends
# JSON patches instead (see docs/EVENTS.md).
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
      query: `# An app's figures for the last 15 minutes, a point
# a minute: HTTP responses by status, then CPU and
# memory per machine. Each series is one query to
# Fly's metrics API (Prometheus), cached briefly. A
# fresh demo fills in after a minute or two.
query Metrics($app: String!) {
  app(name: $app) {
    metrics(rangeSeconds: 900, stepSeconds: 60) {
      __typename
      ... on AppMetrics { httpResponses { labels { name value } unit values } }
    }
    machines {
      nodes {
        machineId
        state
        metrics(rangeSeconds: 900, stepSeconds: 60) {
          __typename
          ... on MachineMetrics {
            end
            cpuPercent { unit timestamps values }
            memoryUsedBytes { unit values }
            memoryTotalBytes { unit values }
          }
          ... on InvalidInputError { issues { field message } }
        }
      }
    }
  }
}
`,
      variables: json({ app }),
    },
    {
      query: `# Create an app, then delete it: mutations in one
# document run in order. deleteApp refuses an app with
# machines or volumes (AppNotEmptyError) unless you
# send force: true. Run it as often as you like.
mutation AppLifecycle($name: String!, $org: String!) {
  createApp(input: { name: $name, org: $org }) {
    __typename
    ... on CreateAppSuccess { appId app { name status machineCount } }
    ... on Error { code message }
  }
  deleteApp(input: { name: $name }) {
    __typename
    ... on DeleteAppSuccess { name }
    ... on AppNotEmptyError { machineCount volumeCount }
    ... on Error { code message }
  }
}
`,
      variables: json({ name: `${app}-scratch`, org: 'personal' }),
    },
    {
      query: `# Snapshot a volume now, then see it with its
# snapshots (Fly answers the snapshot with no body: the
# volume is read again, one more call each).
mutation VolumeSnapshot($app: String!, $volumeId: String!) {
  createVolumeSnapshot(input: { app: $app, volumeId: $volumeId }) {
    __typename
    ... on CreateVolumeSnapshotSuccess {
      volume { volumeId name state sizeGb snapshotRetention snapshots { id status createdAt sizeBytes } }
    }
    ... on Error { code message }
  }
}
`,
      variables: json({ app, volumeId: targets.volumeId ?? 'vol_from_your_app_volumes' }),
    },
    {
      query: `# A hostname's TLS certificate: its status and the
# DNS records to add at your DNS provider (empty once
# DNS is in place). In the demo, www's DNS "arrives"
# 20 s after start and Let's Encrypt issues it soon
# after: run it again, or add @live to be told.
query Certificate($app: String!, $hostname: String!) {
  app(name: $app) {
    certificate(hostname: $hostname) {
      hostname
      status
      dnsRecordsToAdd { type name value }
      validationErrors { code message remediation }
      certificates { source status issuer expiresAt }
    }
    ipAddresses { address type region }
  }
}
`,
      variables: json({ app, hostname: targets.hostname ?? 'www.example.com' }),
    },
    {
      query: `# Set a secret: Fly keeps the value, this answers
# its digest and the new secrets version. Machines see
# it once updated with that version: give it to Deploy
# as input.secretsVersion ("set, then roll out").
mutation SetSecrets($app: String!, $values: [SecretValueInput!]!) {
  setSecrets(input: { app: $app, values: $values }) {
    __typename
    ... on SetSecretsSuccess { version secrets { name digest updatedAt } }
    ... on Error { code message }
    ... on InvalidInputError { issues { field message } }
  }
}
`,
      variables: json({ app, values: [{ name: 'GREETING', value: 'hello from the gateway' }] }),
    },
    {
      query: `# Managed Postgres: the organization's clusters with
# their databases, users (never passwords) and backups.
# A password is shown once, by rotatePostgresPassword.
query Postgres {
  postgresClusters {
    clusterId
    name
    status
    region
    attachedApps
    databases { name }
    users { username role }
    backups { backupId type status }
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
}
