// The functions manifest.yml names, and nothing else: each lives in its own folder.
export { settingsResolver } from './resolvers/settings';
export { postmortemMacroResolver } from './resolvers/postmortem-macro';
export { postmortemExport } from './resolvers/postmortem-export';
export { incidentPostmortemResolver } from './resolvers/incident-postmortem';
export { createIssuesConsumer } from './jobs/create-issues-consumer';
export { actionItemOriginResolver } from './resolvers/action-item-origin';
export { followUpTrigger } from './jobs/follow-up-trigger';
export { followUpConsumer } from './jobs/follow-up-consumer';
export { followThroughReportResolver } from './resolvers/follow-through-report';
export { postmortemIndexResolver } from './resolvers/postmortem-index';
export { weeklyDigestTrigger } from './jobs/weekly-digest';
// Issue 17 (3): stored data that survives upgrades.
export { storageUpgradeTrigger, storageUpgradeConsumer } from './jobs/storage-upgrade';
export { dashboardGadgetResolver } from './resolvers/dashboard-gadget';
// issue 16: the workflow gate on incidents (jira:workflowValidator pft-postmortem-gate).
export { postmortemGateValidator } from './jobs/postmortem-gate-validator';
// Personal data (issue 17): the weekly report of stored accounts to Atlassian, and erasure for closed ones.
export { personalDataTrigger, personalDataConsumer } from './jobs/personal-data';
