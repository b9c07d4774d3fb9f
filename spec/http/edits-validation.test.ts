/**
 * validate over HTTP: its refusal reaches the client as the live envelope (status, type,
 * param, code, text) with a request id, after multer and parse have sorted the parts. Every
 * check of validate is a row of spec/unit/edits/validate.test.ts, called without HTTP; which
 * models, sizes and qualities each model takes, under each profile and API date, is a row of
 * spec/http/edits-models.test.ts.
 */
import { postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

const EDITS = '/v1/images/edits';

describe('POST /v1/images/edits answers what validate refuses in the live envelope', () => {
  const { app } = testApp();

  // multer takes any file part and parse sorts an `images` part among the stray files: validate names it.
  it('answers the JSON images field sent as a multipart file part with 400 invalid_value and a request id', async () => {
    const res = await postEdit(app, { model: 'gpt-image-1', prompt: 'add a red rose' }, [{ name: 'scene-512.png' }, { name: 'scene-512.png', field: 'images' }]);
    expect(res.status).toBe(400);
    expectToMatchSpec(res, EDITS);
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(res.body.error).toEqual({
      message: "Unknown parameter: 'images'. For multipart/form-data use 'image' or 'image[]'.",
      type: 'invalid_request_error',
      param: 'images',
      code: 'invalid_value',
    });
  });
});
