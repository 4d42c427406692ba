// Evidence files over the API with scanning switched off on purpose: upload (streamed, sniffed, limited), who sees and
// downloads what, withdrawal, citing files in a closure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  agreedPlan,
  createForceWithInspection,
  startApi,
  type ForceWithInspection,
  type RunningApi,
  type TestUser,
} from '../support/api-harness.js';
import { cutOffUpload, uploadEvidence } from '../support/evidence-client.js';
import { EICAR, EXECUTABLE, docx, pdf } from '../support/evidence-files.js';
import { readZip } from '../support/read-zip.js';
import { waitUntil } from '../support/wait.js';

const MAX = 200_000;

describe('evidence files (EVIDENCE_SCAN=off)', () => {
  let api: RunningApi, force: ForceWithInspection, other: ForceWithInspection, manager: TestUser, folder: string;
  let recId: string;
  const objects = async () => (await readdir(join(folder, 'objects')).catch(() => [])).sort();

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'evidence-e2e-'));
    api = await startApi({
      EVIDENCE_SCAN: 'off',
      EVIDENCE_MAX_BYTES: String(MAX),
      EVIDENCE_MAX_FILES: '3',
      EVIDENCE_STORE: `file://${folder}`,
    });
    force = await createForceWithInspection(api, [{ reference: '1' }, { reference: '2' }]);
    other = await createForceWithInspection(api, [{ reference: '1' }]);
    manager = await api.createUser('manager', [force.organisation.id]);
    recId = force.inspection.recommendations[0].id;
  });

  afterAll(async () => {
    await api?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const upload = (user: TestUser, files: Parameters<typeof uploadEvidence>[3], id = recId) =>
    uploadEvidence(api.baseUrl, user.token, id, files);

  it('takes several files at once: 202 with name, size, sniffed type, SHA-256 and scan state, each stored under a random key', async () => {
    const word = await docx();
    const answer = await upload(force.liaison, [
      { name: 'Custody audit.pdf', bytes: pdf() },
      { name: 'Action log.docx', bytes: word, type: 'image/png' }, // the client's type is ignored
    ]);
    expect(answer.status).toBe(202);
    expect(answer.body).toHaveLength(2);
    expect(answer.body[0]).toMatchObject({
      name: 'Custody audit.pdf',
      size: pdf().length,
      type: 'application/pdf',
      sha256: createHash('sha256').update(pdf()).digest('hex'),
      scan: 'unscanned',
      downloadable: true,
    });
    expect(Object.keys(answer.body[0])).toEqual(
      expect.arrayContaining(['id', 'name', 'size', 'type', 'sha256', 'scan', 'uploadedAt']),
    );
    expect(answer.body[1].type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((await objects()).every((name) => /^[0-9a-f]{32}$/.test(name))).toBe(true);
    const history = (await force.liaison.api.get(`/recommendations/${recId}`)).body.history;
    expect(history.at(-1)).toMatchObject({ action: 'evidence_uploaded', actorId: force.liaison.id });
  });

  it('serves the bytes as a sandboxed attachment to the force and the inspectorate, and 404s to another force', async () => {
    const [file] = (await upload(force.liaison, [{ name: 'minutes.pdf', bytes: pdf('Minutes') }])).body;
    for (const user of [force.liaison, manager, force.lead]) {
      const response = await fetch(`${api.baseUrl}/evidence/files/${file.id}/content`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(pdf('Minutes'))).toBe(true);
      expect(response.headers.get('content-disposition')).toBe('attachment; filename=minutes.pdf');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
      expect(response.headers.get('content-type')).toBe('application/pdf');
    }
    expect((await other.liaison.api.get(`/evidence/files/${file.id}`)).status).toBe(404);
    expect((await other.liaison.api.get(`/evidence/files/${file.id}/content`)).status).toBe(404);
    expect((await other.liaison.api.get(`/recommendations/${recId}/evidence/files`)).status).toBe(404);
  });

  it('keeps a name like ../../etc/passwd or one with control characters for display only', async () => {
    // Control characters reach a server through RFC 5987's filename* (a raw one breaks the part's header).
    const boundary = 'b0undary';
    const part = (disposition: string, bytes: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n\r\n${bytes}\r\n`;
    const body =
      part('filename="../../etc/passwd"', 'root:x:0:0\n') +
      part(`filename*=UTF-8''evil%07name%0D%0A.txt`, 'plain words\n') +
      `--${boundary}--\r\n`;
    const answer = await force.liaison.api.raw(
      'POST',
      `/recommendations/${recId}/evidence/files`,
      body,
      `multipart/form-data; boundary=${boundary}`,
    );
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 202 });
    expect(answer.body.map((f: { name: string }) => f.name)).toEqual(['../../etc/passwd', 'evil\u0007name\r\n.txt']);
    const response = await fetch(`${api.baseUrl}/evidence/files/${answer.body[1].id}/content`, {
      headers: { authorization: `Bearer ${force.liaison.token}` },
    });
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=evil_name__.txt');
    expect((await readdir(folder)).sort()).toEqual(['.partial', 'objects']);
  });

  it('refuses a type off the allow-list (415), a file or request over EVIDENCE_MAX_BYTES (413) and too many files (413), keeping nothing', async () => {
    const before = {
      objects: await objects(),
      files: (await force.liaison.api.get(`/recommendations/${recId}/evidence/files`)).body.length,
    };
    const refused = [
      [
        await upload(force.liaison, [
          { name: 'report.pdf', bytes: pdf() },
          { name: 'report.pdf.exe', bytes: EXECUTABLE },
        ]),
        415,
      ],
      [await upload(force.liaison, [{ name: 'big.pdf', bytes: Buffer.concat([pdf(), Buffer.alloc(MAX, 0x20)]) }]), 413],
      [
        await upload(force.liaison, [
          { name: 'a.pdf', bytes: Buffer.concat([pdf(), Buffer.alloc(MAX / 2, 0x20)]) },
          { name: 'b.pdf', bytes: Buffer.concat([pdf(), Buffer.alloc(MAX / 2, 0x20)]) },
        ]),
        413,
      ],
      [
        await upload(
          force.liaison,
          [1, 2, 3, 4].map((n) => ({ name: `${n}.pdf`, bytes: pdf() })),
        ),
        413,
      ],
    ] as const;
    for (const [answer, status] of refused)
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
    expect(refused[0][0].body.message).toMatch(/report\.pdf\.exe.*must be a PDF/);
    expect(await objects()).toEqual(before.objects);
    expect((await force.liaison.api.get(`/recommendations/${recId}/evidence/files`)).body).toHaveLength(before.files);
  });

  it('lets only the force liaison upload (403 manager, 404 another force), needs a file (400) and multipart (415)', async () => {
    expect((await upload(manager, [{ name: 'a.pdf', bytes: pdf() }])).status).toBe(403);
    expect((await upload(other.liaison, [{ name: 'a.pdf', bytes: pdf() }])).status).toBe(404);
    expect(
      (await uploadEvidence(api.baseUrl, force.liaison.token, recId, [{ name: 'a.pdf', bytes: pdf() }], 'document'))
        .status,
    ).toBe(400);
    expect((await force.liaison.api.post(`/recommendations/${recId}/evidence/files`, { file: 'x' })).status).toBe(415);
  });

  it('leaves nothing behind when an upload is cut off half-way', async () => {
    const before = {
      objects: await objects(),
      files: (await force.liaison.api.get(`/recommendations/${recId}/evidence/files`)).body.length,
    };
    await cutOffUpload(api.baseUrl, force.liaison.token, recId, 150_000, 60_000);
    await waitUntil('the partial file removed', async () => (await readdir(join(folder, '.partial'))).length === 0);
    expect(await objects()).toEqual(before.objects);
    expect((await force.liaison.api.get(`/recommendations/${recId}/evidence/files`)).body).toHaveLength(before.files);
  });

  it('lets the uploader withdraw a file: kept and marked, no longer served, in the history', async () => {
    const [file] = (await upload(force.liaison, [{ name: 'draft.pdf', bytes: pdf('Draft') }])).body;
    const colleague = await api.createUser('liaison', [force.organisation.id]);
    expect((await colleague.api.post(`/evidence/files/${file.id}/withdraw`)).status).toBe(403);
    const withdrawn = await force.liaison.api.post(`/evidence/files/${file.id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id: file.id, downloadable: false, withdrawnAt: expect.any(String) });
    expect((await force.liaison.api.post(`/evidence/files/${file.id}/withdraw`)).status).toBe(409);
    expect((await force.liaison.api.get(`/evidence/files/${file.id}/content`)).status).toBe(404);
    expect((await force.liaison.api.get(`/evidence/files/${file.id}`)).body.name).toBe('draft.pdf');
    const history = (await force.liaison.api.get(`/recommendations/${recId}`)).body.history;
    expect(history.at(-1)).toMatchObject({ action: 'evidence_withdrawn', actorId: force.liaison.id });
  });

  it('lets a closure proposal cite servable files of its own recommendation only', async () => {
    const id = force.inspection.recommendations[1].id;
    let rec = (await force.liaison.api.post(`/recommendations/${id}/transitions`, agreedPlan(1))).body;
    const [good, gone] = (
      await upload(
        force.liaison,
        [
          { name: 'audit.pdf', bytes: pdf('Audit') },
          { name: 'old.pdf', bytes: pdf('Old') },
        ],
        id,
      )
    ).body;
    await force.liaison.api.post(`/evidence/files/${gone.id}/withdraw`);
    const [elsewhere] = (await upload(force.liaison, [{ name: 'other.pdf', bytes: pdf() }])).body;
    const propose = (fileIds: string[]) =>
      force.liaison.api.post(`/recommendations/${id}/transitions`, {
        action: 'propose_closure',
        version: rec.version,
        evidence: [{ title: 'Custody audit', fileIds }],
      });
    const refusedWithdrawn = await propose([good.id, gone.id]);
    expect(refusedWithdrawn.status).toBe(400);
    expect(refusedWithdrawn.body.message.join(' ')).toMatch(/evidence\[0\]\.fileIds: old\.pdf is withdrawn/);
    expect((await propose([elsewhere.id])).status).toBe(400);
    expect((await propose(['not-a-uuid'])).status).toBe(400);
    const accepted = await propose([good.id]);
    expect(accepted.status).toBe(200);
    rec = accepted.body;
    expect(rec.status).toBe('closure_proposed');
    expect(rec.evidence[0]).toMatchObject({ title: 'Custody audit', fileIds: [good.id] });
    expect(rec.history.at(-1).changes.evidenceFiles.to).toEqual([
      { id: good.id, name: 'audit.pdf', sha256: good.sha256 },
    ]);
  });

  it('lists every file in the readiness pack and zips the servable ones of the inspection with an index', async () => {
    const pack = (await force.lead.api.get(`/inspections/${force.inspection.id}/readiness`)).body;
    const listed = pack.recommendations.flatMap(
      (r: { evidenceFiles: { name: string; withdrawnAt: string | null }[] }) => r.evidenceFiles,
    );
    expect(listed.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['Custody audit.pdf', 'draft.pdf', 'audit.pdf']),
    );
    expect(listed.find((f: { name: string }) => f.name === 'draft.pdf').withdrawnAt).not.toBeNull();
    const response = await fetch(`${api.baseUrl}/inspections/${force.inspection.id}/evidence.zip`, {
      headers: { authorization: `Bearer ${force.lead.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    const index = entries.get('index.csv')!.toString('utf8');
    expect(index).toContain('recommendation,file in zip,name,type,bytes,sha256,scan');
    expect(index).not.toContain('draft.pdf'); // withdrawn
    const custody = [...entries.keys()].find((name) => name.endsWith('-Custody audit.pdf'))!;
    expect(custody).toMatch(/^1\/\d+-Custody audit\.pdf$/);
    expect(entries.get(custody)!.equals(pdf())).toBe(true);
    // '../../etc/passwd' is in the zip as a plain name inside its recommendation's folder, never a path out of it.
    for (const name of entries.keys())
      expect(name.split('/').every((part) => part !== '' && part !== '..' && part !== '.')).toBe(true);
    expect([...entries.keys()].find((name) => name.endsWith('etc_passwd'))).toMatch(/^1\/\d+-_+\.\._etc_passwd$/);
    expect((await other.liaison.api.get(`/inspections/${force.inspection.id}/evidence.zip`)).status).toBe(404);
  });

  it('names the infected-looking EICAR bytes nothing special when scanning is off: they are plain text, marked unscanned', async () => {
    const [file] = (await upload(force.liaison, [{ name: 'eicar.txt', bytes: EICAR }])).body;
    expect(file).toMatchObject({ type: 'text/plain', scan: 'unscanned' });
  });
});
