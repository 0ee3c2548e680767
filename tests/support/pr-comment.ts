/** A small stack diff in the plan's markdown, as the PR comment tests feed it. */
export const SMALL_DIFF = [
  "### `dev`: stage `initial`",
  "",
  "**+1 to create, ~0 to update, +-0 to replace, -0 to delete, 30 unchanged**",
  "",
  "| change | resource | type |",
  "|---|---|---|",
  "| create | `x` | `t` |",
  "",
  "#### Monthly cost",
  "",
  "**¥38.87 → ¥40.00 (+¥1.13)**",
  "",
  "#### Policies",
  "",
  "| ✅ | `single-region` |",
].join("\n");
