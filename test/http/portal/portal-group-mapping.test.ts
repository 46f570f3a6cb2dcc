import { describe, expect, it } from '@jest/globals';
import { mappingFromForm, mappingRows } from '../../../src/http/portal/portal-group-mapping.js';

describe('the portal group-to-role mapping form', () => {
  it('offers each mapped group, sorted, then blank rows', () => {
    expect(mappingRows({ Sales: 'member', Engineering: 'admin' })).toEqual([
      { index: 0, group: 'Engineering', role: 'admin' },
      { index: 1, group: 'Sales', role: 'member' },
      { index: 2, group: '', role: '' },
      { index: 3, group: '', role: '' },
      { index: 4, group: '', role: '' },
    ]);
  });

  it('reads filled rows, drops emptied ones, and keeps a group without a role for validation to refuse', () => {
    expect(
      mappingFromForm({
        csrf: 'x',
        group_0: ' Engineering ',
        role_0: 'admin',
        group_1: '',
        role_1: 'member',
        group_2: 'Sales',
        role_2: '',
        group_3: ['forged'],
        role_3: 'admin',
      }),
    ).toEqual({ Engineering: 'admin', Sales: '' });
  });

  it('stops at the first missing row and reads nothing from an empty form', () => {
    expect(mappingFromForm({ group_0: 'A', role_0: 'r', group_2: 'C', role_2: 'r' })).toEqual({ A: 'r' });
    expect(mappingFromForm(undefined)).toEqual({});
  });
});
