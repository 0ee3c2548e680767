/** Points every DataWorks dynamic provider at a local fake for one test file (endpoint, credentials, fast polling). */
import { FakeDataWorks } from "./fake-dataworks";

export const FAKE_AK = { id: "LTAI-dynamic-test", secret: "dynamic-test-secret-never-in-state" };

const KEYS = [
  "PHOTO_ANALYTICS_DATAWORKS_ENDPOINT",
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS",
  "PHOTO_ANALYTICS_DATAWORKS_DI_POLL_MS",
];

/** Starts a fake before each test and sets the environment; restores both after. */
export function useFakeDataWorks(): { readonly fake: FakeDataWorks } {
  const box: { fake: FakeDataWorks } = {} as { fake: FakeDataWorks };
  const saved: Record<string, string | undefined> = {};
  beforeEach(async () => {
    box.fake = new FakeDataWorks(FAKE_AK.id, FAKE_AK.secret);
    const url = await box.fake.start();
    for (const k of KEYS) saved[k] = process.env[k];
    Object.assign(process.env, {
      PHOTO_ANALYTICS_DATAWORKS_ENDPOINT: url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: FAKE_AK.id,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: FAKE_AK.secret,
      PHOTO_ANALYTICS_DATAWORKS_DEPLOY_POLL_MS: "1",
      PHOTO_ANALYTICS_DATAWORKS_DI_POLL_MS: "1",
    });
  });
  afterEach(async () => {
    await box.fake.stop();
    // What the product sent and what the fake answered, held to the official SDK models.
    expect(box.fake.modelViolations).toEqual([]);
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  return box;
}
