import { describe, expect, it } from 'vitest';
import { AppConfigError, crons, parseAppConfig, parseSingleAppConfig, runtimeSettings, sourceOperations } from './app-config.js';

describe('app config', () => {
  it('reads hooks, crons (commands or the legacy cmd) and source operations with Platform.sh defaults', () => {
    const config = parseAppConfig(
      `applications:
  app:
    hooks:
      build: make
    crons:
      update:
        spec: '0 0 * * *'
        commands:
          start: pier backup:create --yes --no-wait
          stop: pkill -f backup
      legacy:
        spec: '*/5 * * * *'
        cmd: echo hi
    source:
      operations:
        update:
          command: composer update
`,
      '.pier/config.yaml',
    );
    expect(config.applications.app?.hooks?.build).toBe('make');
    expect(crons(config)).toEqual([
      { app: 'app', name: 'update', spec: '0 0 * * *', start: 'pier backup:create --yes --no-wait', stop: 'pkill -f backup', timeoutSeconds: 86_400, shutdownTimeoutSeconds: 10 },
      { app: 'app', name: 'legacy', spec: '*/5 * * * *', start: 'echo hi', stop: undefined, timeoutSeconds: 86_400, shutdownTimeoutSeconds: 10 },
    ]);
    expect(sourceOperations(config)).toEqual([{ operation: 'update', app: 'app', command: 'composer update' }]);
  });

  it('names the key and line of every mistake', () => {
    const cases: Array<[string, RegExp]> = [
      ['applications:\n  app:\n    crons:\n      x:\n        spec: nope\n        cmd: a\n', /applications\.app\.crons\.x\.spec \(line 5\): CronPattern/],
      ['applications:\n  app:\n    crons:\n      x:\n        spec: "* * * * *"\n', /applications\.app\.crons\.x \(line 5\): needs commands\.start/],
      ['applications:\n  app:\n    hooks:\n      biuld: make\n', /applications\.app\.hooks\.biuld \(line 4\): unknown key/],
      ['applications: [1, 2\n', /line \d+/],
      ['hooks: {}\n', /\(top level\)|applications/],
      // Mounts and their sources stay inside /app and /data.
      ["applications:\n  app:\n    mounts:\n      '../etc':\n        source: local\n", /applications\.app\.mounts/],
      ["applications:\n  app:\n    mounts:\n      uploads:\n        source: local\n        source_path: ../../instance-secret\n", /applications\.app\.mounts\.uploads\.source_path \(line 6\)/],
      ["applications:\n  app:\n    mounts:\n      /etc:\n        source_path: x\n", /applications\.app\.mounts/],
      ['applications:\n  app:\n    limits:\n      memory: 1\n', /applications\.app\.limits\.memory \(line 4\)/],
    ];
    for (const [text, message] of cases) {
      expect(() => parseAppConfig(text, '.pier/config.yaml'), text).toThrow(AppConfigError);
      expect(() => parseAppConfig(text, '.pier/config.yaml'), text).toThrow(message);
    }
  });

  it('reads mounts (into the data folder) and limits', () => {
    const config = parseAppConfig(
      "applications:\n  shop:\n    hooks:\n      deploy: ./migrate\n    mounts:\n      'web/uploads/':\n        source: local\n        source_path: uploads\n      var/cache: {}\n    limits:\n      memory: 512\n      cpu_time: 30\n",
      '.pier/config.yaml',
    );
    expect(runtimeSettings(config)).toEqual({
      app: 'shop',
      hooks: { build: undefined, deploy: './migrate' },
      mounts: [
        { path: 'web/uploads', sourcePath: 'uploads' },
        { path: 'var/cache', sourcePath: 'var/cache' },
      ],
      limits: { memoryMb: 512, processes: undefined, cpuSeconds: 30, fileSizeMb: undefined },
    });
    expect(runtimeSettings(undefined)).toMatchObject({ app: 'app', mounts: [], hooks: { build: undefined } });
  });

  it('reads the Platform.sh single-application file', () => {
    const config = parseSingleAppConfig("name: shop\ntype: 'php:8.3'\nhooks:\n  build: composer install\ncrons:\n  snapshot:\n    spec: '0 5 * * *'\n    cmd: platform backup:create --yes --no-wait\n", '.platform.app.yaml');
    expect(Object.keys(config.applications)).toEqual(['shop']);
    expect(crons(config)[0]).toMatchObject({ app: 'shop', name: 'snapshot', start: 'platform backup:create --yes --no-wait' });
  });
});
