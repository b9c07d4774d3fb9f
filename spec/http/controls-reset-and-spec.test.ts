/** POST /__sandbox/reset and GET /__sandbox/openapi.yaml. */
import fs from 'node:fs';
import request from 'supertest';
import { findSpecPath } from '../../server/contract/spec';
import { pathAndQuery, postEdit } from '../helpers/edit-request';
import { expectToMatchSpec } from '../helpers/expect-to-match-spec';
import { testApp } from '../helpers/test-sandbox';

describe('GET /__sandbox/openapi.yaml', () => {
  it('serves the contract file byte for byte as YAML', async () => {
    const { app } = testApp();
    const res = await request(app)
      .get('/__sandbox/openapi.yaml')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect((res.body as Buffer).equals(fs.readFileSync(findSpecPath()))).toBe(true);
  });
});

describe('POST /__sandbox/reset', () => {
  it('returns the journal, armed scenarios and stored url files to their start state', async () => {
    const { app, memory, caches } = testApp();
    const edit = await postEdit(app, { prompt: 'a cat', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }]);
    expect(edit.status).toBe(200);
    const fileUrl = pathAndQuery(edit.body.data[0].url);
    await request(app).post('/__sandbox/scenarios').send({ scenario: 'rate_limit', times: 5 });
    expect(memory.journal.size).toBe(1);
    expect(memory.urlFiles.size).toBe(1);

    const res = await request(app).post('/__sandbox/reset').query({ namespace: '*' });
    expectToMatchSpec(res, '/__sandbox/reset', 'post');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reset: true });

    expect((await request(app).get('/__sandbox/requests')).body.data).toEqual([]);
    expect((await request(app).get('/__sandbox/scenarios')).body.data).toEqual([]);
    expect((await request(app).get(fileUrl)).status).toBe(404);
    expect(caches.fits.size).toBe(0);
    // Normal again: the armed rate limit is gone.
    expect((await postEdit(app, { prompt: 'a cat', model: 'dall-e-2', size: '256x256' }, [{ name: 'scene-rgba-256.png' }])).status).toBe(200);
  });
});
