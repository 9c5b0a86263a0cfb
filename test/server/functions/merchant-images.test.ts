/**
 * Cloud ad images through a function (issue 21), on both adapters (the cloud one through the real
 * wx-server-sdk's downloadFile / uploadFile / deleteFile over the in-memory storage): a merchant
 * owner's client uploads into its own staging folder (`image.stage`), and `image.publish` checks
 * role, ownership, size and content before the image reaches ads/; every refusal changes nothing.
 */
import { createHash } from 'node:crypto';
import { AD_IMAGE_MAX_BYTES, STAGED_IMAGE_PATH } from '../../../server/engine/ads/images';
import { bothAdapters, cloudTransport } from '../../helpers/adapters';
import {
  OWNER_A,
  OWNER_B,
  STAFF_A,
  useMerchantWorld,
  USER,
  ADMIN,
  validInput,
} from '../../helpers/merchant-world';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR a small picture'),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF body')]);
const HTML = Buffer.from('<html><script>alert(1)</script></html>');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.each(bothAdapters)('merchant ad images on %s', (name, open) => {
  const w = useMerchantWorld(open);

  /** What the client's upload leaves in storage at `cloudPath`: its file id. */
  const clientUpload = async (cloudPath: string, bytes: Buffer): Promise<string> => {
    if (name === 'cloud') return cloudTransport()!.storage.put(cloudPath, bytes);
    await w.opened.stores.blobs.put(cloudPath, bytes);
    return `local://${cloudPath}`;
  };
  const stageAs = async (openid: string, ext: 'jpg' | 'png' | 'webp', bytes: Buffer) => {
    const { cloudPath } = await w.ok(openid, { action: 'image.stage', ext });
    return clientUpload(cloudPath, bytes);
  };
  const exists = async (fileID: string) => (await w.opened.stores.adImages.read(fileID)) !== null;
  const publish = (openid: string, fileID: string) =>
    w.call(openid, { action: 'image.publish', fileID });
  const expectUnchanged = async (before: Record<string, string[]> | undefined) =>
    expect(await w.opened.dumpAll?.()).toEqual(before);

  it("names a fresh path in the owner's own staging folder, a keyed hash that names nobody", async () => {
    const a = (await w.ok(OWNER_A, { action: 'image.stage', ext: 'png' })).cloudPath;
    const a2 = (await w.ok(OWNER_A, { action: 'image.stage', ext: 'jpg' })).cloudPath;
    const b = (await w.ok(OWNER_B, { action: 'image.stage', ext: 'png' })).cloudPath;
    const [, folderA, , extA] = STAGED_IMAGE_PATH.exec(a)!;
    expect(extA).toBe('png');
    expect(STAGED_IMAGE_PATH.exec(a2)![1]).toBe(folderA);
    expect(a2).not.toBe(a);
    expect(STAGED_IMAGE_PATH.exec(b)![1]).not.toBe(folderA);
    expect(a).not.toContain(OWNER_A);
    for (const who of [STAFF_A, USER, ADMIN])
      expect(await w.call(who, { action: 'image.stage', ext: 'png' })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
  });

  it('publishes the owner’s staged image under ads/ by its content hash, deletes the staged file, audits, and a creative takes it', async () => {
    const staged = await stageAs(OWNER_A, 'png', PNG);
    const res = await w.ok(OWNER_A, { action: 'image.publish', fileID: staged });
    const image = res.published.image;
    expect(res.published.bytes).toBe(PNG.length);
    expect(image).toBe(
      name === 'cloud'
        ? `cloud://test-env.7465-test-env-1250000000/ads/${sha(PNG)}.png`
        : `local://uploads/${sha(PNG)}.png`,
    );
    expect(Buffer.from((await w.opened.stores.adImages.read(image))!)).toEqual(PNG);
    expect(await exists(staged)).toBe(false);
    if (name === 'cloud')
      expect(cloudTransport()!.storage.paths()).toEqual([`ads/${sha(PNG)}.png`]);

    // The same picture again (a retry, another upload of it) is the same published file.
    const again = await stageAs(OWNER_A, 'png', PNG);
    expect((await w.ok(OWNER_A, { action: 'image.publish', fileID: again })).published.image).toBe(
      image,
    );

    const { entries } = await w.ok(OWNER_A, { action: 'merchant.audit', merchantId: w.merchantA });
    expect(entries.filter((e) => e.action === 'image.publish')).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      action: 'image.publish',
      subject: expect.stringContaining(sha(PNG)),
    });
    expect(JSON.stringify(entries)).not.toContain(OWNER_A);

    const c = await w.ok(OWNER_A, {
      action: 'campaign.create',
      campaign: { ...validInput(), creative: { ...validInput().creative, image } },
    });
    expect(c.campaign.creative.image).toBe(image);
  });

  it('refuses staff, users without a membership, admins and other merchants’ owners; nothing changes', async () => {
    const staged = await stageAs(OWNER_A, 'png', PNG);
    const before = await w.opened.dumpAll?.();
    for (const [who, code] of [
      [STAFF_A, 'FORBIDDEN'],
      [USER, 'FORBIDDEN'],
      [ADMIN, 'FORBIDDEN'],
      // Owner B is an owner, but the file is in owner A's folder.
      [OWNER_B, 'INVALID_INPUT'],
    ] as const)
      expect(await publish(who, staged)).toMatchObject({ ok: false, code });
    expect(await exists(staged)).toBe(true);
    await expectUnchanged(before);
  });

  it("refuses another user's staged file, another environment's, a published one and a missing one", async () => {
    const ofB = await stageAs(OWNER_B, 'png', PNG);
    const published = (await w.ok(OWNER_B, { action: 'image.publish', fileID: ofB })).published
      .image;
    const ofB2 = await stageAs(OWNER_B, 'jpg', JPEG);
    const mine = (await w.ok(OWNER_A, { action: 'image.stage', ext: 'png' })).cloudPath;
    const before = await w.opened.dumpAll?.();
    for (const fileID of [
      ofB2,
      published,
      `cloud://prod-1a2b.7072-prod-1250000000/${mine}`, // my path, another environment
      'https://example.com/a.png',
      '../../recsys/blobs/x',
    ])
      expect(await publish(OWNER_A, fileID)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    // My own folder, but nothing was uploaded there: the storage answers "no such file".
    const missing =
      name === 'cloud' ? `cloud://test-env.7465-test-env-1250000000/${mine}` : `local://${mine}`;
    expect(await publish(OWNER_A, missing)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await exists(ofB2)).toBe(true);
    await expectUnchanged(before);
  });

  it('refuses content that is not the image its name says, or not an image, and an oversized one; nothing changes', async () => {
    const cases: ['jpg' | 'png' | 'webp', Buffer, string, RegExp][] = [
      ['jpg', PNG, 'INVALID_INPUT', /内容与文件类型不符/],
      ['png', JPEG, 'INVALID_INPUT', /内容与文件类型不符/],
      ['jpg', HTML, 'INVALID_INPUT', /只能上传 JPEG、PNG 或 WebP/],
      ['webp', Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '), 'INVALID_INPUT', /只能上传/],
      [
        'png',
        Buffer.concat([PNG, Buffer.alloc(AD_IMAGE_MAX_BYTES - PNG.length + 1)]),
        'PAYLOAD_TOO_LARGE',
        /不能超过 2 MB/,
      ],
    ];
    const staged = await Promise.all(cases.map(([ext, bytes]) => stageAs(OWNER_A, ext, bytes)));
    const before = await w.opened.dumpAll?.();
    for (const [i, [, , code, message]] of cases.entries()) {
      const res = await publish(OWNER_A, staged[i]);
      expect(res).toMatchObject({ ok: false, code });
      if (!res.ok) expect(res.message).toMatch(message);
      expect(await exists(staged[i])).toBe(true);
    }
    await expectUnchanged(before);
    // At the limit exactly, it is an image.
    const max = Buffer.concat([PNG, Buffer.alloc(AD_IMAGE_MAX_BYTES - PNG.length)]);
    const ok = await w.ok(OWNER_A, {
      action: 'image.publish',
      fileID: await stageAs(OWNER_A, 'png', max),
    });
    expect(ok.published.bytes).toBe(AD_IMAGE_MAX_BYTES);
  });
});
