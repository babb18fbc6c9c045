// i18n.js — every label of the UI in Chinese and English. Chinese is the default.

const T = {
  app_name: ['反诈 · 反欺诈与反洗钱监测', 'Fanzha · Anti-fraud & AML monitoring'],
  brand: ['反诈', 'Fanzha'],
  lang_switch: ['English', '中文'],
  logout: ['退出登录', 'Log out'],
  login_title: ['登录', 'Sign in'],
  login_hint: ['请输入管理员发放的 API 令牌（fanzha token create）。令牌只保存在本浏览器标签页的会话中。', 'Enter the API token your administrator issued (fanzha token create). It is kept only in this tab\'s session.'],
  token: ['API 令牌', 'API token'],
  login: ['登录', 'Sign in'],
  login_bad: ['令牌无效或已撤销', 'The token is invalid or revoked'],
  login_forbidden: ['该令牌没有查看权限（需要分析员及以上角色）', 'This token may not view the console (analyst role or higher needed)'],
  signed_in_as: ['当前用户', 'Signed in as'],

  nav_dashboard: ['总览', 'Dashboard'],
  nav_alerts: ['预警', 'Alerts'],
  nav_cases: ['案件', 'Cases'],
  nav_holds: ['止付', 'Holds'],
  nav_rules: ['规则', 'Rules'],
  nav_audit: ['审计日志', 'Audit'],
  role_ingest: ['接入渠道', 'ingest'],
  role_analyst: ['分析员', 'analyst'],
  role_supervisor: ['主管', 'supervisor'],
  role_admin: ['管理员', 'admin'],

  loading: ['加载中…', 'Loading…'],
  error: ['错误', 'Error'],
  field: ['字段', 'Field'],
  not_found: ['页面不存在', 'Page not found'],
  none: ['无', 'None'],
  no_rows: ['没有记录', 'No records'],
  search: ['查询', 'Search'],
  reset: ['重置', 'Reset'],
  prev: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  page_of: ['第 {a}–{b} 条，共 {n} 条', '{a}–{b} of {n}'],
  per_page: ['每页', 'Per page'],
  back: ['返回', 'Back'],
  submit: ['提交', 'Submit'],
  saved: ['已保存', 'Saved'],
  any: ['全部', 'Any'],
  id: ['编号', 'ID'],
  time: ['时间', 'Time'],
  status: ['状态', 'Status'],
  note: ['备注', 'Note'],
  actions: ['操作', 'Actions'],
  open: ['打开', 'Open'],
  refresh: ['刷新', 'Refresh'],
  tz_note: ['时间均为北京时间（UTC+8）', 'Times are Beijing time (UTC+8)'],

  // dashboard
  dash_title: ['监测总览', 'Monitoring dashboard'],
  dps: ['每秒决策数', 'Decisions per second'],
  dps_hint: ['每 2 秒刷新，显示最近 2 分钟', 'Refreshed every 2 s, last 2 minutes'],
  outcomes: ['决策结果分布', 'Outcomes'],
  alerts_per_day: ['每日预警数', 'Alerts per day'],
  case_ageing: ['案件账龄（未结案件）', 'Case ageing (open cases)'],
  scored: ['已评分交易', 'Transactions scored'],
  duplicates: ['重复提交', 'Duplicates'],
  rejected: ['拒收', 'Rejected'],
  accounts: ['账户数', 'Accounts'],
  uptime: ['运行时长', 'Uptime'],
  durable_seq: ['已持久化序号', 'Durable sequence'],
  per_s: ['笔/秒', 'per s'],
  out_allow: ['放行', 'Allow'],
  out_verify: ['核验', 'Verify'],
  out_hold: ['止付', 'Hold'],
  out_block: ['拦截', 'Block'],
  cases_count: ['案件数', 'Cases'],
  alerts_count: ['预警数', 'Alerts'],
  day: ['日期', 'Day'],
  no_data: ['暂无数据', 'No data yet'],

  // alerts
  alerts_title: ['预警队列', 'Alert queue'],
  alert: ['预警', 'Alert'],
  rule: ['规则', 'Rule'],
  min_score: ['最低分值', 'Min score'],
  from: ['起始', 'From'],
  to: ['截止', 'To'],
  score: ['分值', 'Score'],
  outcome: ['决策', 'Outcome'],
  txn: ['交易', 'Transaction'],
  payer: ['付款账户', 'Payer account'],
  payee: ['收款账户', 'Payee account'],
  amount: ['金额', 'Amount'],
  currency: ['币种', 'Currency'],
  channel: ['渠道', 'Channel'],
  kind: ['交易类型', 'Kind'],
  case: ['案件', 'Case'],
  st_open: ['待处理', 'Open'],
  st_in_case: ['已立案', 'In case'],
  st_closed: ['已关闭', 'Closed'],
  st_escalated: ['已上报', 'Escalated'],
  st_pending: ['待处理', 'Pending'],
  st_released: ['已放行', 'Released'],
  st_rejected: ['已拒绝', 'Rejected'],
  st_expired: ['已过期', 'Expired'],
  st_assigned: ['已分派', 'Assigned'],
  st_active: ['生效中', 'Active'],
  st_closed_fp: ['已结案·误报', 'Closed: false positive'],
  st_closed_fraud: ['已结案·欺诈', 'Closed: fraud'],
  st_suppressed: ['已抑制', 'Suppressed'],
  out_alert: ['预警', 'Alert'],
  note_status: ['状态变更', 'Status change'],
  verif_other: ['其他（请在备注说明）', 'Other (explain in the note)'],
  download: ['下载', 'Download'],
  select: ['选择', 'Select'],
  selected_n: ['已选 {n} 条', '{n} selected'],
  build_case: ['立案', 'Build case'],
  build_case_from: ['用所选预警立案', 'Build a case from the selected alerts'],
  case_title: ['案件标题', 'Case title'],
  alert_detail: ['预警详情', 'Alert details'],
  reasons: ['命中原因', 'Reasons'],
  side: ['方向', 'Side'],
  typology: ['类型', 'Typology'],
  model: ['模型', 'Model'],
  model_p: ['模型概率', 'Model probability'],
  features: ['模型特征', 'Model features'],
  feature: ['特征', 'Feature'],
  value: ['取值', 'Value'],
  contribution: ['贡献', 'Contribution'],
  rules_version: ['规则版本', 'Rules version'],
  seq: ['序号', 'Sequence'],
  hold: ['止付', 'Hold'],
  created: ['创建时间', 'Created'],
  updated: ['更新时间', 'Updated'],
  case_created: ['已立案：案件 {id}', 'Case {id} created'],

  // cases
  cases_title: ['案件', 'Cases'],
  title: ['标题', 'Title'],
  assignee: ['负责人', 'Assignee'],
  age: ['账龄', 'Age'],
  resolution: ['结论', 'Resolution'],
  details: ['基本信息', 'Details'],
  case_alerts: ['案件内预警', 'Alerts in this case'],
  timeline: ['备注与证据', 'Notes and evidence'],
  comment: ['备注', 'Comment'],
  add_comment: ['添加备注', 'Add comment'],
  evidence: ['证据', 'Evidence'],
  attach: ['上传证据', 'Attach evidence'],
  file: ['文件', 'File'],
  file_too_big: ['文件过大（上限 {n} KB）', 'File too large (limit {n} KB)'],
  assign: ['分派', 'Assign'],
  close_fp: ['结案：误报', 'Close: false positive'],
  close_fraud: ['结案：确认欺诈', 'Close: confirmed fraud'],
  close_case: ['结案', 'Close case'],
  suppress_days: ['抑制天数（误报后同类预警不再产生）', 'Suppress days (no repeat alerts after a false positive)'],
  escalate: ['上报', 'Escalate'],
  escalate_hint: ['上报主管审查（可能报送可疑交易报告）', 'Escalate to a supervisor (possible suspicious transaction report)'],
  res_false_positive: ['误报', 'False positive'],
  res_confirmed_fraud: ['确认欺诈', 'Confirmed fraud'],
  res_fraud: ['确认欺诈', 'Confirmed fraud'],
  flows: ['资金流向', 'Money flows'],
  flows_hint: ['节点为账户，箭头为付款方向，标注金额与时间。红色为本案涉及账户。', 'Nodes are accounts, arrows point from payer to payee, labelled with amount and time. Red: accounts in this case.'],
  account: ['账户', 'Account'],
  depth: ['层数', 'Depth'],
  flows_fallback: ['资金流向接口不可用，仅显示预警涉及的交易', 'The flows route is not available: showing the alerted transactions only'],
  flows_none: ['该账户暂无资金往来记录', 'No money flows for this account'],
  edges_n: ['{n} 笔交易', '{n} transactions'],
  author: ['作者', 'Author'],
  done: ['已完成', 'Done'],

  // holds
  holds_title: ['止付交易', 'Held transactions'],
  hold_hint: ['放行或拒绝前须完成客户核实，并记录核实方式。', 'Verify with the customer before release or rejection, and record how.'],
  verification: ['核实方式', 'Verification'],
  verif_choose: ['— 请选择 —', '— choose —'],
  verif_callback: ['电话回访（预留号码）', 'Call-back on registered number'],
  verif_branch: ['网点临柜核实', 'In-branch verification'],
  verif_face: ['人脸识别', 'Face recognition'],
  verif_sms: ['短信验证码', 'SMS one-time code'],
  verif_video: ['视频核实', 'Video call'],
  release: ['放行', 'Release'],
  reject: ['拒绝', 'Reject'],
  verif_required: ['请选择核实方式', 'Choose a verification method'],
  released_ok: ['已放行止付 {id}', 'Hold {id} released'],
  rejected_ok: ['已拒绝止付 {id}', 'Hold {id} rejected'],
  reason: ['原因', 'Reason'],
  expires: ['到期时间', 'Expires'],

  // rules
  rules_title: ['规则', 'Rules'],
  active_version: ['当前生效版本', 'Active version'],
  versions: ['版本历史', 'Versions'],
  version: ['版本', 'Version'],
  activate: ['启用', 'Activate'],
  activated: ['已启用版本 {id}', 'Version {id} activated'],
  active: ['生效中', 'Active'],
  pack: ['规则包', 'Pack'],
  upload: ['上传新版本', 'Upload a new version'],
  upload_hint: ['每个规则包一个文本框，语法见 docs/rules.md。仅主管和管理员可上传和启用。', 'One text box per pack, syntax in docs/rules.md. Supervisors and admins only.'],
  pack_name: ['规则包名', 'Pack name'],
  pack_text: ['规则文本', 'Rules text'],
  add_pack: ['添加规则包', 'Add pack'],
  remove: ['移除', 'Remove'],
  uploaded: ['已上传版本 {id}', 'Version {id} uploaded'],
  then: ['处置', 'Action'],
  priority: ['优先级', 'Priority'],
  on: ['作用方', 'On'],
  when: ['条件', 'Condition'],
  view: ['查看', 'View'],

  // audit
  audit_title: ['审计日志', 'Audit log'],
  verify_chain: ['校验哈希链', 'Verify chain'],
  chain_ok: ['哈希链完整：{n} 条记录均未被篡改', 'Chain intact: {n} entries verified'],
  chain_bad: ['哈希链校验失败：第 {n} 条记录不符', 'Chain broken: entry {n} does not check'],
  head: ['链头', 'Head'],
  actor: ['操作人', 'Actor'],
  action: ['动作', 'Action'],
  object: ['对象', 'Object'],
  detail: ['内容', 'Detail'],
};

let lang = localStorage.getItem('fanzha.lang') === 'en' ? 'en' : 'zh';

export function getLang() { return lang; }
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('fanzha.lang', lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

// t('page_of', {a: 1, b: 50, n: 120})
export function t(key, vars) {
  const e = T[key];
  let str = e ? e[lang === 'en' ? 1 : 0] : key;
  if (vars) for (const [k, v] of Object.entries(vars)) str = str.split('{' + k + '}').join(String(v));
  return str;
}

// A status or outcome code shown in the current language ("open" -> 待处理).
export function label(prefix, code) {
  if (code === undefined || code === null || code === '') return '';
  const key = prefix + '_' + code;
  return key in T ? t(key) : String(code);
}

// A bilingual text from the API ({zh, en}) in the current language.
export function pick(obj) {
  if (!obj) return '';
  return (lang === 'en' ? obj.en || obj.zh : obj.zh || obj.en) || '';
}

export const KEYS = Object.keys(T);
