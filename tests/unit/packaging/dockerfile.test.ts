import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { execForm, readDockerfile, repoRoot, STAND_IN_API_KEYS, stageEnv, type DockerStage } from '../../helpers/packaging-files.js';

const { stages } = readDockerfile();
const runtime = stages.at(-1)!;
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};

function all(stage: DockerStage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** Sources of the COPY lines that read the build context (not `--from=` another stage). */
function contextSources(): string[] {
  return stages.flatMap((stage) =>
    all(stage, 'COPY')
      .filter((args) => !args.startsWith('--from='))
      .flatMap((args) =>
        args
          .replace(/--\S+\s+/g, '')
          .split(/\s+/)
          .slice(0, -1),
      ),
  );
}

/** The .dockerignore rules, comments and blank lines dropped. */
function dockerignore(): string[] {
  return readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('Dockerfile', () => {
  it('should build in two stages on the supported Node major when reading FROM', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const major = /\d+/.exec(packageJson.engines.node)![0];
    for (const stage of stages) expect(stage.from).toMatch(new RegExp(`^node:${major}-(bookworm-)?slim$`));
  });

  it('should install production dependencies only from the lock file when building the deps stage', () => {
    const installs = stages.flatMap((stage) => all(stage, 'RUN')).filter((run) => run.includes('npm '));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/npm ci --omit=dev/);
    // esbuild compiles the sources after the production install, so it must be a dependency, not a devDependency.
    expect(packageJson.dependencies.esbuild).toBeDefined();
    expect(stages.flatMap((stage) => all(stage, 'RUN'))).toContain('node scripts/build.mjs');
    // The runtime stage installs and builds nothing itself: it copies the installed tree and the compiled sources.
    expect(all(runtime, 'RUN')).toEqual([]);
    expect(all(runtime, 'COPY').filter((args) => args.startsWith('--from='))).toEqual([
      expect.stringMatching(/node_modules/),
      expect.stringMatching(/\/app\/dist /),
    ]);
    expect(all(runtime, 'COPY').some((args) => /\bsrc\b/.test(args))).toBe(false);
  });

  it('should run as the unprivileged node user when the container starts', () => {
    expect(all(runtime, 'USER')).toEqual(['node']);
  });

  it('should run node itself on the compiled entry (not npm) so SIGTERM reaches the gateway when stopping', () => {
    const cmd = execForm(all(runtime, 'CMD')[0]);
    expect(cmd).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
    // The same entry `npm start` runs.
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts.start).toBe(cmd.join(' '));
    expect(all(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(all(runtime, 'ENTRYPOINT')).toEqual([]);
  });

  it('should expose the production port and start in production config when reading ENV and EXPOSE', () => {
    const env = stageEnv(runtime);
    expect(env.APP_ENV).toBe('production');
    expect(env.NODE_ENV).toBe('production');
    // The image leaves who may call and the Fly token to the deploy (fly.toml sets AUTH_MODE; the rest are secrets).
    const secrets = { API_KEYS: STAND_IN_API_KEYS, FLY_API_TOKEN: 'fo1_stand-in-token' };
    const config = loadConfig({ env: { APP_ENV: env.APP_ENV, PORT: env.PORT, AUTH_MODE: 'api-keys', ...secrets } });
    expect(all(runtime, 'EXPOSE')).toEqual([String(config.server.port)]);
  });

  it('should check /healthz with node when Docker asks whether the container is healthy', () => {
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/--interval=\d+s/);
    expect(healthcheck).toMatch(/--timeout=\d+s/);
    const argv = execForm(healthcheck);
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).toContain("'/healthz'");
    expect(argv.join(' ')).toContain('process.env.PORT');
  });

  it('should bake no secret into the image when listing its ENV', () => {
    const names = stages.flatMap((stage) => Object.keys(stageEnv(stage)));
    expect(names.filter((name) => /TOKEN|SECRET|PASSWORD|REDIS_URL|API_KEYS/.test(name))).toEqual([]);
    expect(stages.flatMap((stage) => all(stage, 'ARG'))).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('should start from nothing and let in exactly what the Dockerfile copies when reading its rules', () => {
    const rules = dockerignore();
    expect(rules[0]).toBe('*');
    const allowed = rules.filter((rule) => rule.startsWith('!')).map((rule) => rule.slice(1).replace(/\/$/, ''));
    expect([...allowed].sort()).toEqual([...new Set(contextSources())].sort());
  });

  it('should keep env files and logs out even inside the allowed folders when matching', () => {
    const rules = dockerignore();
    const lastAllow = rules.findLastIndex((rule) => rule.startsWith('!'));
    const after = rules.slice(lastAllow + 1);
    expect(after).toEqual(expect.arrayContaining(['**/.env', '**/.env.*', '**/*.log']));
  });

  it('should leave out node_modules, .git, .tmp, tests and reports when only the allowed paths are sent', () => {
    const allowed = dockerignore().filter((rule) => rule.startsWith('!'));
    for (const excluded of ['node_modules', '.git', '.tmp', 'tests', 'coverage', 'reports', '.stryker-tmp', 'bench', 'docs']) {
      expect(allowed.some((rule) => rule.slice(1).replace(/\/$/, '') === excluded)).toBe(false);
    }
  });
});
