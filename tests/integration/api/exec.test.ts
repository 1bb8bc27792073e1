import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleTabs } from '#src/api/http/examples.js';
import { createKey } from '#src/api/auth/keys.js';
import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { createGateway } from '#src/gateway.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// execMachine: one POST …/exec per call, never retried or cached, typed errors for what can go wrong, a write in
// every auth mode, audited without its output.

const CONFIG = {
  image: 'registry.fly.io/exec:v1',
  guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
  env: { GREETING: 'hello-from-env', DATABASE_PASSWORD: 'pw_exec_do_not_log_me' },
};

const EXEC = `mutation($app: String!, $id: String!, $command: [String!]!, $timeout: Int, $stdin: String) {
  execMachine(input: { app: $app, machineId: $id, command: $command, timeoutSeconds: $timeout, stdin: $stdin }) {
    __typename
    ... on ExecMachineSuccess { exitCode exitSignal stdout stderr }
    ... on ExecTimeoutError { timeoutSeconds }
    ... on InvalidInputError { issues { field message } }
    ... on Error { code message }
  }
}`;

type Answer = {
  data: any;
  errors?: { extensions: { code: string } }[];
  extensions: { upstreamCalls: { byOperation: Record<string, number> } };
};

describe('execMachine', () => {
  let built: BuiltTestGateway;
  let started = '';
  let stopped = '';
  const lines: string[] = [];
  const ask = async (variables: Record<string, unknown>, authorization?: string): Promise<Answer> => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: EXEC, variables }),
    });
    return (await response.json()) as Answer;
  };
  const execs = () => built.emu.requestCounts()['machines.exec'] ?? 0;

  beforeAll(async () => {
    built = await buildTestGateway({
      env: { LOG_LEVEL: 'debug' },
      deps: { logDestination: { write: (line: string) => void lines.push(line) } },
    });
    built.emu.control.createApp('shell');
    started = built.emu.control.createMachine('shell', { config: CONFIG }).id;
    stopped = built.emu.control.createMachine('shell', { config: CONFIG }).id;
    built.emu.control.setMachineState('shell', stopped, 'stopped');
  });
  afterAll(async () => built?.close());

  it('should run `uname -a` in a started machine with exactly one Fly call and answer its output and exit code', async () => {
    const before = execs();
    const answer = await ask({ app: 'shell', id: started, command: ['uname', '-a'] });
    expect(answer.data.execMachine).toMatchObject({ __typename: 'ExecMachineSuccess', exitCode: 0, stderr: '' });
    expect(answer.data.execMachine.stdout).toMatch(new RegExp(`^Linux ${started} .*GNU/Linux\\n$`));
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'machines.exec': 1 });
    expect(execs()).toBe(before + 1);
  });

  it("should answer from the machine itself: its hostname, its config's env, and stdin handed to cat", async () => {
    const hostname = await ask({ app: 'shell', id: started, command: ['cat', '/etc/hostname'] });
    expect(hostname.data.execMachine.stdout).toBe(`${started}\n`);
    const env = await ask({ app: 'shell', id: started, command: ['env'] });
    expect(env.data.execMachine.stdout).toContain('GREETING=hello-from-env\n');
    expect(env.data.execMachine.stdout).toContain(`FLY_MACHINE_ID=${started}\n`);
    const echoed = await ask({ app: 'shell', id: started, command: ['cat'], stdin: 'piped in' });
    expect(echoed.data.execMachine).toMatchObject({ exitCode: 0, stdout: 'piped in' });
    const viaShell = await ask({ app: 'shell', id: started, command: ['sh', '-c', 'echo hi there'] });
    expect(viaShell.data.execMachine.stdout).toBe('hi there\n');
  });

  it('should answer exit code 127 and "command not found" for a program the image does not have', async () => {
    const answer = await ask({ app: 'shell', id: started, command: ['no-such-tool', '--flag'] });
    expect(answer.data.execMachine).toMatchObject({ __typename: 'ExecMachineSuccess', exitCode: 127, stdout: '' });
    expect(answer.data.execMachine.stderr).toMatch(/no-such-tool: command not found/);
  });

  it('should never cache: the same command twice is two Fly calls', async () => {
    const before = execs();
    await ask({ app: 'shell', id: started, command: ['hostname'] });
    const again = await ask({ app: 'shell', id: started, command: ['hostname'] });
    expect(again.extensions.upstreamCalls.byOperation).toEqual({ 'machines.exec': 1 });
    expect(execs()).toBe(before + 2);
  });

  it('should refuse a machine that is not started (INVALID_STATE) and an unknown one (NOT_FOUND), one call each', async () => {
    const before = execs();
    const notStarted = await ask({ app: 'shell', id: stopped, command: ['uname'] });
    expect(notStarted.data.execMachine).toMatchObject({ __typename: 'InvalidStateError', code: 'INVALID_STATE' });
    expect(notStarted.data.execMachine.message).toMatch(/not started/);
    const unknown = await ask({ app: 'shell', id: '0123456789abcd', command: ['uname'] });
    expect(unknown.data.execMachine).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(execs()).toBe(before + 2);
  });

  it('should refuse bad input before Fly is asked: an empty command, an empty program, too long a timeout', async () => {
    const before = execs();
    const empty = await ask({ app: 'shell', id: started, command: [] });
    expect(empty.data.execMachine).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.command' }] });
    const blank = await ask({ app: 'shell', id: started, command: ['  ', 'x'] });
    expect(blank.data.execMachine.__typename).toBe('InvalidInputError');
    const long = await ask({ app: 'shell', id: started, command: ['uname'], timeout: 3600 });
    expect(long.data.execMachine).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.timeoutSeconds' }] });
    expect(long.extensions.upstreamCalls.byOperation).toEqual({});
    expect(execs()).toBe(before);
  });

  it('should answer ExecTimeoutError when the command outlives its timeout, after exactly one call (never retried)', async () => {
    const before = execs();
    const answer = await ask({ app: 'shell', id: started, command: ['sleep', '30'], timeout: 1 });
    expect(answer.data.execMachine).toMatchObject({ __typename: 'ExecTimeoutError', code: 'DEADLINE_EXCEEDED', timeoutSeconds: 1 });
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'machines.exec': 1 });
    expect(execs()).toBe(before + 1);
  });

  it('should send exec once when Fly fails it (a 503 is not retried) and answer a typed error', async () => {
    const before = execs();
    built.emu.faults.add({ route: 'machines.exec', status: 503, times: 1 });
    const answer = await ask({ app: 'shell', id: started, command: ['uname'] });
    expect(answer.data.execMachine).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'UPSTREAM_UNAVAILABLE' });
    expect(answer.extensions.upstreamCalls.byOperation).toEqual({ 'machines.exec': 1 });
    expect(execs()).toBe(before + 1);
  });

  it('should audit each exec by app and machine and never log the command output', async () => {
    lines.length = 0;
    const answer = await ask({ app: 'shell', id: started, command: ['printenv', 'DATABASE_PASSWORD'] });
    expect(answer.data.execMachine.stdout).toBe('pw_exec_do_not_log_me\n');
    const audit = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.audit === true);
    expect(audit).toEqual([
      expect.objectContaining({
        operation: 'execMachine',
        target: { app: 'shell', machineId: started },
        outcome: 'ExecMachineSuccess',
      }),
    ]);
    expect(lines.join('\n')).not.toContain('pw_exec_do_not_log_me');
    expect(lines.join('\n')).not.toContain('printenv');
  });
});

describe('who may exec', () => {
  it('should refuse a read key (FORBIDDEN, nothing sent to Fly) and run for a write key', async () => {
    const reader = createKey('reader', new Set(['read']));
    const writer = createKey('writer', new Set(['read', 'write']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${writer.entry}` } });
    try {
      built.emu.control.createApp('shell');
      const id = built.emu.control.createMachine('shell', { config: CONFIG }).id;
      const ask = async (key: string) =>
        (await (
          await built.gateway.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: EXEC, variables: { app: 'shell', id, command: ['hostname'] } }),
          })
        ).json()) as Answer;
      const refused = await ask(reader.key);
      expect(refused.data.execMachine).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(built.emu.requestCounts()['machines.exec'] ?? 0).toBe(0);
      const ran = await ask(writer.key);
      expect(ran.data.execMachine).toMatchObject({ __typename: 'ExecMachineSuccess', stdout: `${id}\n` });
      expect(built.emu.requestCounts()['machines.exec']).toBe(1);
    } finally {
      await built.close();
    }
  });

  describe('in fly-token mode', () => {
    const OWNER = 'emu_tenant_exec_owner_0123456789ab';
    const READER = 'emu_tenant_exec_reader_0123456789a';
    const STRANGER = 'emu_tenant_exec_stranger_012345678';
    let emu: Emulator;
    let built: BuiltTestGateway;
    let id = '';
    const ask = async (token: string) =>
      (await (
        await built.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: EXEC, variables: { app: 'shell', id, command: ['printenv', 'GREETING'] } }),
        })
      ).json()) as Answer;

    beforeAll(async () => {
      emu = createEmulator({
        seed: 'none',
        delays: INSTANT,
        scopedTokens: { [OWNER]: ['shell'], [STRANGER]: ['elsewhere'] },
        readOnlyTokens: { [READER]: ['shell'] },
      });
      await emu.start({ port: 0, host: '127.0.0.1' });
      emu.control.createApp('shell');
      emu.control.createApp('elsewhere');
      id = emu.control.createMachine('shell', { config: CONFIG }).id;
      built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    });
    afterAll(async () => {
      await built?.close();
      await emu?.stop();
    });

    it("should run with the owner's token", async () => {
      const answer = await ask(OWNER);
      expect(answer.data.execMachine).toMatchObject({ __typename: 'ExecMachineSuccess', stdout: 'hello-from-env\n' });
    });

    it('should refuse a token that may only read the app (FORBIDDEN, no output), Fly having refused the one call', async () => {
      const before = emu.requestCounts()['machines.exec'] ?? 0;
      const answer = await ask(READER);
      expect(answer.data.execMachine).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(JSON.stringify(answer)).not.toContain('hello-from-env');
      expect(emu.requestCounts()['machines.exec']).toBe(before + 1);
    });

    it('should refuse a token that cannot read the app before exec is sent', async () => {
      const before = emu.requestCounts()['machines.exec'] ?? 0;
      const answer = await ask(STRANGER);
      expect(answer.data.execMachine).toMatchObject({ __typename: 'ForbiddenError' });
      expect(emu.requestCounts()['machines.exec'] ?? 0).toBe(before);
    });
  });
});

describe("GraphiQL's exec example in demo mode", () => {
  it('should run `uname -a` on the started demo machine the page names', async () => {
    const gateway = createGateway(loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } }));
    try {
      const url = (await gateway.start()).url;
      const page = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
      // The page carries each tab's variables as JSON text inside a script: `\"machineId\": \"<id>\"`.
      const machineId = /\\"machineId\\": \\"([0-9a-f]{14})\\"/.exec(page)?.[1];
      expect(machineId).toMatch(/^[0-9a-f]{14}$/);
      const exec = exampleTabs().find((tab) => /^mutation Exec\(/m.test(tab.query))!;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: exec.query, variables: { app: 'demo-web', machineId } }),
      });
      const answer = (await response.json()) as Answer;
      expect(answer.data.execMachine).toMatchObject({ __typename: 'ExecMachineSuccess', exitCode: 0 });
      expect(answer.data.execMachine.stdout).toContain(`Linux ${machineId} `);
    } finally {
      await gateway.stop();
    }
  });
});
