/** The freshness objectives and alert contacts: validated like every other key, defaults from the seed's tiers. */
import { loadStackConfig } from "../project-files";
import { input, configProblems } from "./support/config";

const problems = configProblems;

describe("freshness and alerts config", () => {
  it("defaults to the seed's tiers: T+1 by 06:00, hourly within 20 minutes, SLS metrics 2 minutes old; Mail and SMS", () => {
    const c = loadStackConfig(input());
    expect(c.freshness).toEqual({ dailyDeadline: "06:00", hourlyGraceMinutes: 20, slsMetricsMaxAgeMinutes: 2, eventsMaxAgeMinutes: 60 });
    expect(c.alerts).toEqual({ channels: ["Mail", "Sms"], receiverUids: [], ownerUid: undefined, repeatIntervalMinutes: 30 });
  });

  it("takes the user's values; the owner defaults to the first receiver", () => {
    const c = loadStackConfig(
      input({
        "photo-analytics:freshness": { dailyDeadline: "07:30", hourlyGraceMinutes: 35 },
        "photo-analytics:alerts": { channels: ["Phone"], receiverUids: ["1234567890123", "2234567890123"] },
      }),
    );
    expect(c.freshness.dailyDeadline).toBe("07:30");
    expect(c.freshness.hourlyGraceMinutes).toBe(35);
    expect(c.alerts).toMatchObject({ channels: ["Phone"], ownerUid: "1234567890123", repeatIntervalMinutes: 30 });
  });

  it.each([
    [{ "photo-analytics:freshness": { dailyDeadline: "6:00" } }, "photo-analytics:freshness.dailyDeadline"],
    [{ "photo-analytics:freshness": { dailyDeadline: "24:00" } }, "photo-analytics:freshness.dailyDeadline"],
    [{ "photo-analytics:freshness": { hourlyGraceMinutes: 60 } }, "photo-analytics:freshness.hourlyGraceMinutes"],
    [{ "photo-analytics:freshness": { deadline: "06:00" } }, "photo-analytics:freshness.deadline"],
    [{ "photo-analytics:alerts": { channels: ["DingTalk"] } }, "photo-analytics:alerts.channels"],
    [{ "photo-analytics:alerts": { channels: [] } }, "photo-analytics:alerts.channels"],
    [{ "photo-analytics:alerts": { receiverUids: ["alice"] } }, "photo-analytics:alerts.receiverUids"],
    [{ "photo-analytics:alerts": { repeatIntervalMinutes: 1 } }, "photo-analytics:alerts.repeatIntervalMinutes"],
  ])("fails when %j, naming %s", (over, key) => {
    const found = problems(input(over));
    expect(found.some((p) => p.startsWith(key))).toBe(true);
  });
});
