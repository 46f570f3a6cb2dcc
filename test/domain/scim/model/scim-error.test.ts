import { describe, expect, it } from '@jest/globals';
import { ScimError, scimErrorBody, scimErrors } from '../../../../src/domain/scim/model/scim-error.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('scim errors', () => {
  it('renders the RFC 7644 §3.12 body, with the status as a string', () => {
    expect(scimErrorBody(scimErrors.invalidValue('Attribute userName is required.'))).toEqual({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidValue',
      detail: 'Attribute userName is required.',
    });
  });

  it('leaves scimType out when there is none', () => {
    const body = scimErrorBody(scimErrors.notFound('Resource 2819c223 not found.'));
    expect(body).toEqual({ schemas: [ERROR], status: '404', detail: 'Resource 2819c223 not found.' });
    expect(Object.keys(body)).not.toContain('scimType');
  });

  it('pairs each factory with its status and keyword', () => {
    const made = Object.entries(scimErrors).map(([name, make]) => {
      const error = make('x');
      return [name, error.status, error.scimType];
    });
    expect(made).toEqual([
      ['invalidFilter', 400, 'invalidFilter'],
      ['tooMany', 400, 'tooMany'],
      ['invalidSyntax', 400, 'invalidSyntax'],
      ['invalidValue', 400, 'invalidValue'],
      ['invalidPath', 400, 'invalidPath'],
      ['noTarget', 400, 'noTarget'],
      ['mutability', 400, 'mutability'],
      ['invalidVers', 400, 'invalidVers'],
      ['sensitive', 403, 'sensitive'],
      ['uniqueness', 409, 'uniqueness'],
      ['notFound', 404, undefined],
      ['preconditionFailed', 412, undefined],
      ['payloadTooLarge', 413, undefined],
    ]);
  });

  it('is an Error carrying its detail as message', () => {
    const error = scimErrors.uniqueness('userName bjensen is taken.');
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ScimError');
    expect(error.message).toBe('userName bjensen is taken.');
  });
});
