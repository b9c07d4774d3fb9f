import { badImageBytes, CATALOGUE, errors, GROUP_ROLES, maskApiKey, quoteList } from '../../../server/errors/catalogue';
import { SandboxError } from '../../../server/errors/sandbox-error';

describe('quoteList', () => {
  it.each([
    [['a'], "'a'"],
    [['a', 'b'], "'a' and 'b'"],
    [['a', 'b', 'c'], "'a', 'b', and 'c'"],
  ])('lists %j as %s', (values, text) => {
    expect(quoteList(values)).toBe(text);
  });
});

describe('quoteList with or', () => {
  it.each([
    [['a'], "'a'"],
    [['a', 'b'], "'a' or 'b'"],
    [['a', 'b', 'c'], "'a', 'b', or 'c'"],
  ])('lists %j as %s, as the live type errors of enum fields do', (values, text) => {
    expect(quoteList(values, 'or')).toBe(text);
  });
});

describe('maskApiKey', () => {
  it('keeps 8 characters, stars the middle and keeps the last 4', () => {
    expect(maskApiKey('sk-proj-abcdefghijklmnopqrstwxyz')).toBe('sk-proj-********************wxyz');
  });
  it('shows short keys as they are', () => {
    expect(maskApiKey('sk-short')).toBe('sk-short');
  });
});

describe('the catalogue', () => {
  /** Arguments for the constructors that take more than text; every other one gets `arg0, arg1, …`. */
  const ARGS: Partial<Record<keyof typeof errors, unknown[]>> = {
    unknownScenario: ['arg0', ['arg1', 'arg2']],
    unknownSandboxHeader: ['arg0', ['arg1', 'arg2']],
    unknownQueryParameter: ['arg0', ['arg1', 'arg2']],
    invalidValue: ['arg0', 'arg1', ['arg2', 'arg3']],
    invalidTypeOneOf: ['arg0', ['arg1', 'arg2'], 'arg3'],
    unsupportedMimetype: ['arg0', 'arg1', ['arg2', 'arg3']],
  };
  const samples = Object.entries(errors).map(([name, make]) => {
    const args = ARGS[name as keyof typeof errors] ?? Array.from({ length: make.length }, (_, i) => `arg${i}`);
    return { name, error: (make as (...a: unknown[]) => SandboxError)(...args) };
  });

  it('builds a SandboxError with a status, a type and a message from every name', () => {
    for (const { error } of samples) {
      expect(error).toBeInstanceOf(SandboxError);
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.type).toMatch(/^[a-z_]+$/);
      expect(error.message.length).toBeGreaterThan(10);
    }
  });

  it('has one name per text: no two names give the same status, type, code and message', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { name, error } of samples) {
      // Placeholders stand for whatever the caller passes, so compare the texts with them blanked out.
      const text = [error.status, error.type, error.code, error.message.replace(/arg\d+|NaN/g, '_')].join('|');
      const other = seen.get(text);
      if (other) duplicates.push(`${other} = ${name}`);
      seen.set(text, name);
    }
    expect(duplicates).toEqual([]);
  });

  it('stamps every error with the name and group it was built by', () => {
    const groupOf = new Map(CATALOGUE.map((entry) => [entry.name, entry.group]));
    for (const { name, error } of samples) expect([name, error.catalogueName, error.catalogueGroup]).toEqual([name, name, groupOf.get(name)]);
    expect(new SandboxError({ status: 400, type: 'x', message: 'not from the catalogue' }).catalogueName).toBeNull();
  });

  it('lists every name once, each in a group whose role says whether outcome coverage counts it', () => {
    expect(CATALOGUE.map((entry) => entry.name).sort()).toEqual(Object.keys(errors).sort());
    for (const { group } of CATALOGUE) expect(['api', 'scenario', 'transport', 'control']).toContain(GROUP_ROLES[group]);
    // The Bearer check answers as the live API; the sandbox's own headers and control surface do not count.
    expect(GROUP_ROLES).toMatchObject({ receive: 'api', files: 'api', sandboxHeaders: 'control', controls: 'control', transport: 'transport', outcomes: 'scenario' });
    expect(CATALOGUE.find((entry) => entry.name === 'unknownScenario')?.group).toBe('sandboxHeaders');
  });
});

describe('badImageBytes', () => {
  it("answers with the model's own entry: invalidImageFile, or dall-e-2's legacy PNG check", () => {
    expect(badImageBytes(2, false).catalogueName).toBe('invalidImageFile');
    expect(badImageBytes(2, false).message).toContain('for image 2');
    expect(badImageBytes(1, true).catalogueName).toBe('legacyPngUnder4Mb');
  });
});
