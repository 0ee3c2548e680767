/**
 * The pure parts of the export's MaxCompute grant (lib/sls/sls-objects.ts): the MaxCompute
 * user name of a RAM role and the table policy. SLS's guide: the export's role must be a
 * project member with Describe, Alter and Update on the table
 * (https://www.alibabacloud.com/help/en/log-service/latest/write-data-to-maxcompute-by-using-a-default-role);
 * MaxCompute names a RAM role `RAM$<account>:role/<name>`
 * (https://www.alibabacloud.com/help/en/maxcompute/user-guide/permission-related-command-set).
 */
import { EXPORT_TABLE_ACTIONS, exportWriterPolicy, maxcomputeUserOfRamRole } from "../lib/sls/sls-objects";

describe("maxcomputeUserOfRamRole", () => {
  it.each([
    ["the SLS default role", "acs:ram::1234567890:role/aliyunlogdefaultrole", "RAM$1234567890:role/aliyunlogdefaultrole"],
    ["a custom role", "acs:ram::42:role/export-writer.v2", "RAM$42:role/export-writer.v2"],
    ["the offline plan's placeholder account", "acs:ram::<account-id>:role/aliyunlogdefaultrole", "RAM$<account-id>:role/aliyunlogdefaultrole"],
  ])("%s", (_label, arn, user) => {
    expect(maxcomputeUserOfRamRole(arn)).toBe(user);
  });

  it.each([
    ["a role name alone", "aliyunlogdefaultrole"],
    ["a RAM user ARN", "acs:ram::42:user/alice"],
    ["an empty string", ""],
  ])("fails for %s, naming the value and the form allowed", (_label, arn) => {
    expect(() => maxcomputeUserOfRamRole(arn)).toThrow(`roleArn is ${JSON.stringify(arn)}; allowed: a RAM role ARN "acs:ram::<account id>:role/<role name>"`);
  });
});

describe("exportWriterPolicy", () => {
  it("allows exactly Describe, Alter and Update, on exactly the export table", () => {
    expect(EXPORT_TABLE_ACTIONS).toEqual(["Describe", "Alter", "Update"]);
    const policy = JSON.parse(exportWriterPolicy("photo_dw", "ods_user_events_sls"));
    expect(policy).toEqual({
      Version: "1",
      Statement: [
        { Effect: "Allow", Action: ["odps:Describe", "odps:Alter", "odps:Update"], Resource: ["acs:odps:*:projects/photo_dw/tables/ods_user_events_sls"] },
      ],
    });
  });

  it("never grants Select, Drop, All or a wildcard resource", () => {
    const text = exportWriterPolicy("p", "t");
    expect(text).not.toMatch(/"odps:(Select|Drop|All|\*)"|tables\/\*/);
  });
});
