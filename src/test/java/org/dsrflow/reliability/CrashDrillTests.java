package org.dsrflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.dsrflow.support.DsrflowProcess;
import org.dsrflow.support.Http;
import org.dsrflow.support.MailDrop;
import org.dsrflow.support.OwnRoutes;
import org.dsrflow.support.Mailbox;
import org.dsrflow.support.SharedServers;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The crash drill. dsrflow runs as a process of its own against the test application's PostgreSQL,
 * Kafka and mail server (the test application's own routes are stopped meanwhile, so the process
 * does all the work). Requests come in by web form and by mail and are confirmed as their codes
 * arrive; the process is killed with SIGKILL at a random moment of every run,
 * and started again (3 times in the default build, 50 or more with {@code -Ddsrflow.crash-runs}). At each kill the case store says what was in flight (intake, verification,
 * fan-out, packaging, reply). At the end every request has exactly one final reply in its mailbox,
 * each system was asked once per case and finished, and the audit chain is intact.
 */
class CrashDrillTests extends ProcessDrill {
    /** 3 in the default build (about 90 s); the full drill: -Ddsrflow.crash-runs=50 (docs/reliability.md). */
    static final int RUNS = Integer.getInteger("dsrflow.crash-runs", 3);
    /** With this many kills every stage is hit (in the full drill of 50, intake, the rarest, was hit 13 times). */
    private static final int RUNS_FOR_EVERY_STAGE = 20;
    /** 22 requests in the full drill; 9 in the short one of the build. */
    private static final int WEB_PEOPLE = RUNS >= RUNS_FOR_EVERY_STAGE ? 16 : 6;
    private static final int MAIL_PEOPLE = RUNS >= RUNS_FOR_EVERY_STAGE ? 6 : 3;
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    /**
     * Cases being packaged: every system has answered and the reply is not queued yet, so the export
     * package (or erasure report) is being built. FULFILLED itself lasts only inside the transaction
     * that queues the reply.
     */
    private static final String PACKAGING = "select count(*) from dsr_case c where subject_email like 'crash%' and state in ("
            + "'IN_PROGRESS', 'WAITING_ON_SYSTEMS', 'FULFILLED') and exists (select 1 from connector_task t where t.case_id = c.id) "
            + "and not exists (select 1 from connector_task t where t.case_id = c.id and t.state not in ('DONE', 'NOT_FOUND', 'RETAINED'))";
    /** Access-log rows of each web requester asking for their data. */
    private static final int HISTORY_ROWS = 20_000;

    /** One person's progress as the drill drives it. */
    private static final class Person {
        final String email;
        final String type;
        final boolean byMail;
        boolean submitted;
        boolean confirmed;

        Person(String email, String type, boolean byMail) {
            this.email = email;
            this.type = type;
            this.byMail = byMail;
        }
    }

    @Test
    void everyRequestIsAnsweredOnceAcrossTheKills() throws Exception {
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < WEB_PEOPLE; i++) {
            people.add(new Person("crash" + i + ".web@example.org", i % 4 == 3 ? "DELETION" : "ACCESS", false));
        }
        for (int i = 0; i < MAIL_PEOPLE; i++) {
            people.add(new Person("crash" + i + ".mail@example.org", "ACCESS", true));
        }
        // the web requesters asking for their data have a history in the logs system, so that their
        // exports (and the packages built from them) take a while: kills land while packaging too
        JdbcTemplate logsDb = new JdbcTemplate(postgres.dataSource("logs"));
        for (int i = 0; i < WEB_PEOPLE; i++) {
            if (people.get(i).type.equals("ACCESS")) {
                logsDb.update("insert into access_logs (log_id, account_id, user_email, path, http_status, ip_address, user_agent, accessed_at) "
                        + "select 70000000 + ? * 100000 + n, null, ?, '/api/v1/instances', 200, '198.51.100.7', 'dsrflow-crash-drill', "
                        + "timestamptz '2026-11-01 00:00:00+00' + n * interval '1 minute' from generate_series(1, ?) n "
                        + "on conflict (log_id) do nothing", i, people.get(i).email, HISTORY_ROWS);
            }
        }
        Path logs = Files.createDirectories(Path.of("target", "crash-drill"));
        Map<String, String> settings = SharedServers.settings(postgres, brokers, smtpPort, imapPort, helpdeskPort);
        settings.put("dsrflow.cluster.check-period", "300");
        // a short lease: a case the killed process held is taken up again sooner (the same code, a smaller number)
        settings.put("dsrflow.fulfilment.lease", "PT15S");
        settings.put("dsrflow.fulfilment.lease-renew-period", "5000");
        // and a mail the killed process was sending goes out again sooner
        settings.put("dsrflow.outbox.send-lease", "PT20S");
        settings.put("logging.level.root", "WARN");
        // a killed member holds its partitions until its session times out: keep that short for the drill
        settings.put("camel.component.kafka.session-timeout-ms", "6000");
        settings.put("camel.component.kafka.heartbeat-interval-ms", "2000");
        settings.put("logging.level.org.dsrflow", "INFO");
        DsrflowProcess dsrflow = new DsrflowProcess(settings, logs.resolve("dsrflow.log"));
        Mailbox mailbox = new Mailbox(imapPort);
        MailDrop drop = new MailDrop(smtpPort, imapPort);
        Random random = new Random(20261201L);
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        Map<String, Integer> pointsHit = new TreeMap<>();
        List<Long> starts = new ArrayList<>();

        OwnRoutes own = OwnRoutes.stop(camel);
        try {
            for (int run = 0; run < RUNS; run++) {
                starts.add(dsrflow.start(Duration.ofSeconds(90)).toMillis());
                // most kills come at a random moment; every third waits (up to 4 s) for a package being
                // built, the shortest stage, so that packaging is hit too. What was in flight is read
                // after the kill: the dead process changes nothing any more.
                long killAfter = 200 + random.nextInt(2800);
                boolean atPackaging = run % 3 == 1;
                var kill = killer.submit(() -> {
                    if (atPackaging) {
                        Instant until = Instant.now().plusSeconds(4);
                        while (Instant.now().isBefore(until) && jdbc.queryForObject(PACKAGING, Integer.class) == 0) {
                            Thread.sleep(20);
                        }
                    } else {
                        Thread.sleep(killAfter);
                    }
                    dsrflow.kill();
                    return inFlight();
                });
                drive(people, dsrflow.http(), mailbox, drop, random);
                Set<String> at = kill.get();
                at.forEach(p -> pointsHit.merge(p, 1, Integer::sum));
                pointsHit.merge("runs", 1, Integer::sum);
            }
            // the last start: the work left over from every crash is finished
            dsrflow.start(Duration.ofSeconds(90));
            Instant until = Instant.now().plus(Duration.ofMinutes(3));
            while (Instant.now().isBefore(until) && !allAnswered(people)) {
                drive(people, dsrflow.http(), mailbox, drop, null);
                Thread.sleep(500);
            }
            Thread.sleep(3000); // a duplicate reply, were one coming
        } finally {
            dsrflow.kill();
            killer.shutdownNow();
            own.startAgain();
        }
        writeReport(logs, pointsHit, starts);

        assertThat(pointsHit.get("runs")).isEqualTo(RUNS);
        for (Person p : people) {
            List<Map<String, Object>> cases = jdbc.queryForList("select id, state from dsr_case where subject_email = ?", p.email);
            assertThat(cases).as("one case for " + p.email).hasSize(1);
            String reference = (String) cases.get(0).get("id");
            assertThat(cases.get(0).get("state")).as(p.email + " answered").isEqualTo("REPLIED");
            List<Mailbox.Mail> replies = mailbox.read(p.email).stream().filter(m -> m.subject().startsWith("Your personal data")).toList();
            assertThat(replies.stream().map(Mailbox.Mail::messageId).distinct().count()).as("one final reply to " + p.email).isEqualTo(1);
            assertThat(jdbc.queryForList("select state from connector_task where case_id = ?", String.class, reference))
                    .as("every system finished for " + reference).hasSize(5).allMatch(s -> Set.of("DONE", "NOT_FOUND", "RETAINED").contains(s));
            assertThat(jdbc.queryForObject("select count(*) from case_transition where case_id = ? and to_state = 'REPLIED'", Integer.class,
                    reference)).isEqualTo(1);
        }
        assertThat(audit.verify().intact()).isTrue();
        if (RUNS >= RUNS_FOR_EVERY_STAGE) {
            assertThat(pointsHit.keySet()).as("kills landed in every stage").contains("intake", "verification", "fan-out", "reply");
        } else {
            assertThat(pointsHit.keySet()).as("kills landed with work in flight").hasSizeGreaterThan(1);
        }
    }

    /**
     * One step of the requesters' side: new requests, codes entered. With a random source, new
     * requests are spread over the runs; without, everyone still waiting sends theirs now. Errors
     * from a dying process are expected.
     */
    private void drive(List<Person> people, Http http, Mailbox mailbox, MailDrop drop, Random random) {
        for (Person p : people) {
            try {
                if (!p.submitted) {
                    if (p.byMail) {
                        drop.send("From: " + p.email + "\r\nTo: " + MailDrop.PRIVACY + "\r\nSubject: My data\r\nMessage-ID: <"
                                + p.email.replace('@', '.') + "@mail.example.org>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\n"
                                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nPlease send me a copy of my personal data.\r\n");
                        p.submitted = true;
                    } else if (hasCase(p)) {
                        p.submitted = true;
                    } else {
                        Http.Reply created = http.postJson("/api/requests", "{\"type\":\"" + p.type + "\",\"email\":\"" + p.email
                                + "\",\"language\":\"en\"}");
                        p.submitted = created.status() == 201;
                        if (!p.submitted) {
                            System.out.println("[crash drill] " + p.email + ": " + created.status() + " " + created.body());
                        }
                    }
                    if (random != null && random.nextBoolean()) {
                        return; // the rest next time: requests arrive over the runs
                    }
                    continue;
                }
                if (!p.confirmed && hasCase(p)) {
                    String reference = jdbc.queryForObject("select id from dsr_case where subject_email = ?", String.class, p.email);
                    String state = jdbc.queryForObject("select state from dsr_case where id = ?", String.class, reference);
                    if (!"AWAITING_VERIFICATION".equals(state)) {
                        p.confirmed = !"RECEIVED".equals(state);
                        continue;
                    }
                    List<Mailbox.Mail> codes = mailbox.read(p.email).stream().filter(m -> m.subject().contains(reference)).toList();
                    if (!codes.isEmpty()) {
                        Matcher m = CODE.matcher(codes.get(codes.size() - 1).body());
                        if (m.find()) {
                            int status = http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + m.group(1) + "\"}")
                                    .status();
                            p.confirmed = status == 200 || status == 409;
                        }
                    }
                }
            } catch (Exception e) {
                System.out.println("[crash drill] " + p.email + ": " + e); // the process died under the request: the next run carries on
                return;
            }
        }
    }

    private boolean hasCase(Person p) {
        return jdbc.queryForObject("select count(*) from dsr_case where subject_email = ?", Integer.class, p.email) > 0;
    }

    private boolean allAnswered(List<Person> people) {
        List<String> emails = people.stream().map(p -> p.email).toList();
        Integer replied = jdbc.queryForObject("select count(*) from dsr_case where state = 'REPLIED' and subject_email in ("
                + emails.stream().map(e -> "?").collect(Collectors.joining(",")) + ")", Integer.class, emails.toArray());
        return replied != null && replied == people.size();
    }

    /** What was in flight when the process was killed, by stage. */
    private Set<String> inFlight() {
        Map<String, String> probes = new LinkedHashMap<>();
        probes.put("intake", "select count(*) from dsr_case where subject_email like 'crash%' and state in ('RECEIVED', 'AWAITING_CLARIFICATION')"
                + " or (subject_email like 'crash%' and received_at > now() - interval '3 seconds')");
        probes.put("verification", "select count(*) from dsr_case where subject_email like 'crash%' and state = 'AWAITING_VERIFICATION'");
        probes.put("fan-out", "select count(*) from dsr_case where subject_email like 'crash%' and state in ('VERIFIED', 'IN_PROGRESS', "
                + "'WAITING_ON_SYSTEMS', 'NEEDS_ATTENTION')");
        probes.put("packaging", PACKAGING);
        probes.put("reply", "select count(*) from outbox o join dsr_case c on c.id = o.case_id where c.subject_email like 'crash%' "
                + "and o.sent_at is null");
        Set<String> hit = new java.util.TreeSet<>();
        probes.forEach((stage, sql) -> {
            Integer n = jdbc.queryForObject(sql, Integer.class);
            if (n != null && n > 0) {
                hit.add(stage);
            }
        });
        return hit;
    }

    private static void writeReport(Path dir, Map<String, Integer> points, List<Long> starts) throws Exception {
        List<Long> sorted = starts.stream().sorted().toList();
        String text = "runs (SIGKILL): " + points.get("runs") + "\nkills by stage in flight: " + points
                + "\nstart to first answer, median ms: " + sorted.get(sorted.size() / 2) + ", max ms: " + sorted.get(sorted.size() - 1) + "\n";
        Files.writeString(dir.resolve("report.txt"), text);
        System.out.println("[crash drill] " + text.replace('\n', ' '));
    }
}
