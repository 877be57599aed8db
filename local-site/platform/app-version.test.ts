import { deploy, deployMajor } from './app-version';

describe('app versions on the local site', () => {
  const a = { permissionsHash: 'p1', codeHash: 'c1' };
  it('first sight is an installation at 1.0 with no upgrade event', () => {
    expect(deploy(undefined, a)).toEqual({ version: { major: 1, minor: 0, ...a }, upgradedEvent: false });
  });
  it('the same code is the same version; changed code a minor version without the event (as Cloud)', () => {
    const v = deploy(undefined, a).version;
    expect(deploy(v, a)).toEqual({ version: v, upgradedEvent: false });
    expect(deploy(v, { ...a, codeHash: 'c2' })).toEqual({ version: { major: 1, minor: 1, permissionsHash: 'p1', codeHash: 'c2' }, upgradedEvent: false });
  });
  it('changed permissions are a major version, which sends avi:forge:upgraded:app', () => {
    const v = { major: 1, minor: 3, ...a };
    expect(deploy(v, { permissionsHash: 'p2', codeHash: 'c2' })).toEqual({ version: { major: 2, minor: 0, permissionsHash: 'p2', codeHash: 'c2' }, upgradedEvent: true });
    expect(deployMajor(v, a)).toEqual({ major: 2, minor: 0, ...a });
  });
});
