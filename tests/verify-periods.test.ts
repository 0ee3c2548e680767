/** Which period each objective is due for, in the warehouse time zone (lib/verify/periods.ts). */
import { dueDailyPeriod, dueHourlyPeriod } from "../lib/verify/periods";

const at = (iso: string) => Date.parse(iso);

describe("due periods", () => {
  it.each([
    // Shanghai is UTC+8: 05:59 local is before the 06:00 deadline, so yesterday's load still has time.
    ["2026-11-29T21:59:00Z", "06:00", "ds=20261128", "2026-11-29 06:00"],
    ["2026-11-29T22:00:00Z", "06:00", "ds=20261129", "2026-11-30 06:00"],
    ["2026-12-31T23:00:00Z", "06:00", "ds=20261231", "2027-01-01 06:00"],
    ["2026-11-30T03:00:00Z", "12:30", "ds=20261128", "2026-11-29 12:30"],
  ])("T+1 at %s, deadline %s: %s (due %s)", (now, deadline, partition, text) => {
    const p = dueDailyPeriod(at(now), "Asia/Shanghai", deadline);
    expect(p.partition).toBe(partition);
    expect(p.deadlineText).toBe(text);
    expect(p.deadline).toBeLessThanOrEqual(at(now));
  });

  it.each([
    ["2026-11-30T03:00:00Z", 20, "ds=20261130/hh=09", "2026-11-30 10:20"],
    ["2026-11-30T03:20:00Z", 20, "ds=20261130/hh=10", "2026-11-30 11:20"],
    ["2026-11-29T16:10:00Z", 20, "ds=20261129/hh=22", "2026-11-29 23:20"],
    ["2026-11-29T16:30:00Z", 20, "ds=20261129/hh=23", "2026-11-30 00:20"],
  ])("hourly at %s, grace %i min: %s (due %s)", (now, grace, partition, text) => {
    const p = dueHourlyPeriod(at(now), "Asia/Shanghai", grace);
    expect(p.partition).toBe(partition);
    expect(p.deadlineText).toBe(text);
  });

  it("follows the zone's clock (UTC)", () => {
    expect(dueDailyPeriod(at("2026-11-30T06:00:00Z"), "UTC", "06:00").partition).toBe("ds=20261129");
    expect(dueDailyPeriod(at("2026-11-30T05:59:00Z"), "UTC", "06:00").partition).toBe("ds=20261128");
  });
});
