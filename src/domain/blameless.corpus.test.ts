/**
 * The blameless check against realistic postmortem sentences. Every sentence is asserted: the first list
 * must be flagged with the given rule, the second must produce no finding at all (zero false positives).
 */
import { checkBlameless, type BlamelessRuleId } from './blameless';

const knownNames = ['Priya Raman', 'Dmitri', 'Kwame Mensah', 'Sasha'];

const MUST_FLAG: [string, BlamelessRuleId][] = [
  ['The outage was caused by human error during the database migration.', 'human-error'],
  ['Root cause: operator error while applying the firewall change.', 'human-error'],
  ['This was simply user error on the admin console.', 'human-error'],
  ['We classified the incident as human-error and closed it.', 'human-error'],
  ['Bob should have checked the replication lag before failing over.', 'should-have'],
  ['In hindsight, Alice should have rolled back immediately.', 'should-have'],
  ['Dave should’ve waited for the canary to finish.', 'should-have'],
  ['Priya should have asked for a second review of the Terraform plan.', 'should-have'],
  ['He should have escalated to the database team sooner.', 'should-have'],
  ['The on-call knew about the disk, and Kwame should have acted on it.', 'should-have'],
  ['The engineer was careless when editing the production config.', 'judgement'],
  ['A careless copy-paste put the staging credentials in production.', 'judgement'],
  ['Leaving the feature flag on over the weekend was negligent.', 'judgement'],
  ['The rollout plan was sloppy and skipped the canary.', 'judgement'],
  ['Frankly, the handling of the pager was incompetent.', 'judgement'],
  ['It was a lazy fix that papered over the real problem.', 'judgement'],
  ['Deleting the index during peak hours was stupid.', 'judgement'],
  ['A dumb mistake in the YAML took down the ingress.', 'judgement'],
  ['Honestly this was Bob’s fault for merging without tests.', 'fault'],
  ['It was Priya’s fault that the certificate expired.', 'fault'],
  ['Everyone agreed it was his fault.', 'fault'],
  ['The outage was the fault of Dmitri, who ran the script.', 'fault'],
  ['Management blamed Sasha for the missed alert.', 'fault'],
  ['Who is to blame for the expired certificate?', 'fault'],
  ['Alice was at fault for the late escalation.', 'fault'],
  ['Bob forgot to renew the TLS certificate.', 'omission'],
  ['Then Alice forgot to disable the cron job before the migration.', 'omission'],
  ['She failed to notice the error budget burning.', 'omission'],
  ['I forgot to update the runbook after the last incident.', 'omission'],
  ['Dmitri neglected to run the smoke tests.', 'omission'],
  ['They didn’t bother to check the dashboards.', 'omission'],
  ['Unfortunately Kwame simply forgot to page the database team.', 'omission'],
  ['He failed to follow the deploy checklist.', 'omission'],
  ['Bob broke the build on Friday afternoon.', 'person-caused'],
  ['The incident started when Sasha broke the payment flow.', 'person-caused'],
  ['The regression was caused by Alice.', 'person-caused'],
  ['The data loss was caused by Priya Raman running the wrong script.', 'person-caused'],
  ['We should have known that the cache would not survive a restart.', 'should-have-known'],
  ['The team should have known better than to deploy on a Friday.', 'should-have-known'],
  ['Obviously, nobody tested the restore procedure.', 'hindsight-words'],
  ['The on-call simply should have restarted the service.', 'hindsight-words'],
  ['The alert was obviously misconfigured.', 'hindsight-words'],
  ['The reviewer just should have caught the missing index.', 'hindsight-words'],
  ['Root cause: Kwame broke the DNS config.', 'person-caused'],
  ['@jsmith forgot to merge the rollback PR.', 'omission'],
];

const MUST_NOT_FLAG: string[] = [
  'The deploy pipeline failed to run the migration check.',
  'Alerting should have fired earlier.',
  'Alice noticed the spike at 10:42.',
  'Bob rolled back the release.',
  'The runbook forgot nothing.',
  'We lacked a canary stage.',
  'Monitoring should have detected the elevated error rate within five minutes.',
  'The health check failed to detect the hung worker threads.',
  'Kafka failed to rebalance after the broker restart.',
  'The outage was caused by Redis evicting session keys under memory pressure.',
  'The incident was caused by a misconfigured load balancer rule.',
  'The config change broke the cache warm-up.',
  'A schema change broke the reporting queries.',
  'Priya identified the bad query plan and added an index.',
  'Dmitri joined the bridge at 10:50 and started investigating.',
  'Kwame restarted the payment workers, which mitigated the impact.',
  'Sasha was paged at 02:14 and acknowledged within three minutes.',
  'The deploy tool allowed a production change without a second approval.',
  'No one is to blame; the process had no review step for hotfixes.',
  'Nobody was at fault here: the runbook described an outdated procedure.',
  'It wasn’t his fault that the dashboards were missing the metric.',
  'We ran git blame to find when the timeout was introduced.',
  'This is a blameless postmortem focused on process and technology.',
  'The kernel logged a page fault before the process crashed.',
  'The service lacks fault tolerance for a zone outage.',
  'We plan to add fault injection to the staging environment.',
  'The NIC was at fault, not the driver.',
  'The frontend uses lazy loading for the settings bundle.',
  'The module is lazy-loaded on first use.',
  'Replication lag grew because the replica failed to keep up with the write volume.',
  'The canary should have caught the regression, but it only checked HTTP 200s.',
  'The certificate renewal job failed to authenticate to the ACME server.',
  'The alert should have paged the database team rather than the platform team.',
  'Alice should have been paged earlier; the escalation policy skipped her.',
  'Carol should have been notified automatically when the error budget burned.',
  'We should have a staged rollout for configuration changes.',
  'Action item: automate certificate renewal and alert 14 days before expiry.',
  'The on-call engineer followed the runbook, but step 4 referenced a host that no longer exists.',
  'Customers saw 502 errors for 23 minutes.',
  'The failover to the secondary region took 12 minutes because DNS TTLs were set to 10 minutes.',
  'Jenkins failed to publish the artifact, so the rollback used an older build.',
  'During the incident, Bob found the relevant log lines and shared them in the channel.',
  'Checkout latency increased after the 10:30 deploy.',
  'The user error rate on the login page rose to 4%.',
  'The migration script failed to acquire a lock and retried indefinitely.',
  'Our documentation for restoring backups was out of date.',
  'The escalation took three hops before reaching someone with database access.',
  'Secondary systems were not resilient to the loss of the session store.',
];

describe('blameless corpus: must flag', () => {
  it.each(MUST_FLAG)('%s → %s', (sentence, rule) => {
    const findings = checkBlameless(sentence, { knownNames });
    expect(findings.map((f) => f.rule)).toContain(rule);
    for (const f of findings) expect(sentence.slice(f.start, f.end)).toBe(f.phrase);
  });

  it('has at least 40 sentences', () => {
    expect(MUST_FLAG.length).toBeGreaterThanOrEqual(40);
  });
});

describe('blameless corpus: must not flag', () => {
  it.each(MUST_NOT_FLAG)('%s', (sentence) => {
    expect(checkBlameless(sentence, { knownNames })).toEqual([]);
  });

  it('has at least 40 sentences', () => {
    expect(MUST_NOT_FLAG.length).toBeGreaterThanOrEqual(40);
  });

  it('stays clean when the whole clean corpus is checked as one document', () => {
    expect(checkBlameless(MUST_NOT_FLAG.join(' '), { knownNames })).toEqual([]);
    expect(checkBlameless(MUST_NOT_FLAG.join('\n'), { knownNames })).toEqual([]);
  });
});
