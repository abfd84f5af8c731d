package org.dsrflow.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.dsrflow.tickets.TicketSignature;

/**
 * Scenarios 3 and 4, end to end against a running dsrflow (the demo by default): requests come in
 * the ways they really do — the web form over HTTP, signed tickets on Kafka, mails over SMTP — and
 * their progress is read from the case store, whose timestamps are the measurements.
 */
final class PipelineBench {
    private static final String PRIVACY_MAILBOX = "privacy@dsrflow.localhost";

    private final BenchTarget target;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    /** Tells this run's people apart from earlier runs' (the addresses must be new, or requests join open cases). */
    private final String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    PipelineBench(BenchTarget target, PrintStream out) {
        this.target = target;
        this.out = out;
    }

    /** Requests per warm-up round: rounds of a measured run's usual size, so each waits out its burst. */
    static final int WARMUP_ROUND = 500;

    /** Rounds of scenario 3 so far: new addresses differ from round to round. */
    private int rounds;

    /**
     * One round of scenario 3, measured: {@code sustained} is the rate of replies sent in the middle
     * of the round (from the tenth to the ninetieth percentile of the replies' times), leaving out
     * the start, when the first cases are still being verified, and the last few.
     */
    private record Round(int cases, double rate, double queuedRate, double sustained, Stats latency, Stats queuedLatency, String reads,
                         String background) {
    }

    /**
     * How long scenario 3 warms the server up: at least {@code min} requests; then, while a round
     * still kept the server's JIT compiler busy for {@code settledMs} milliseconds a request or
     * more, further rounds, up to {@code max} requests in all ({@code settledMs} 0: exactly
     * {@code min}). A server still compiling its hot code measures its compiler, not dsrflow.
     */
    record WarmUp(int min, int max, int settledMs) {
    }

    /**
     * Loads the demo systems' databases into PostgreSQL's shared buffers ({@code pg_prewarm}), so
     * that scenario 3 measures dsrflow rather than the disk under the demo systems: the people it
     * asks for are drawn at random from all the generated accounts, and their rows are read from
     * the disk wherever the operating system has let go of them (on the machine of BENCHMARKS.md,
     * within minutes). Says so when the data does not fit in the shared buffers with a quarter to
     * spare ({@link #prewarmAdvice}).
     */
    void prewarm(List<String> databases) throws SQLException {
        long sharedBuffers = 0;
        long total = 0;
        List<String> loaded = new ArrayList<>();
        long began = System.nanoTime();
        for (String database : databases) {
            try (Connection c = DriverManager.getConnection(target.url(database), target.user(), target.password());
                 Statement s = c.createStatement()) {
                s.execute("create extension if not exists pg_prewarm");
                try (ResultSet rs = s.executeQuery("select pg_size_bytes(current_setting('shared_buffers')), "
                        + "coalesce(sum(pg_prewarm(c.oid)), 0) * current_setting('block_size')::bigint from pg_class c "
                        + "where c.relkind in ('r', 'i', 't', 'm') and c.relpersistence = 'p'")) {
                    rs.next();
                    sharedBuffers = rs.getLong(1);
                    total += rs.getLong(2);
                    loaded.add(String.format(Locale.ROOT, "%s %d MiB", database, rs.getLong(2) >> 20));
                }
            }
        }
        out.printf(Locale.ROOT, "prewarm: %s into shared buffers of %d MiB, in %s%n", String.join(", ", loaded), sharedBuffers >> 20,
                Stats.seconds(Stats.since(began)));
        String advice = prewarmAdvice(total, sharedBuffers);
        if (advice != null) {
            out.println("  " + advice);
        }
    }

    /**
     * What to do when {@code dataBytes} do not fit in shared buffers of {@code sharedBufferBytes}
     * with a quarter to spare (the case store and what the runs add need room too); null when they do.
     */
    static String prewarmAdvice(long dataBytes, long sharedBufferBytes) {
        if (dataBytes / 4 * 5 <= sharedBufferBytes) {
            return null;
        }
        // PostgreSQL's MB are MiB
        return String.format(Locale.ROOT, "the data does not fit in the shared buffers with room to spare: part of it will not stay (start the demo with "
                + "--dsrflow.embedded.postgres.server-config.shared_buffers=%dMB or more, BENCHMARKS.md)", dataBytes * 5 / 4 / (1 << 20) + 1);
    }

    /**
     * Scenario 3: first the warm-up in rounds of {@link #WARMUP_ROUND}, printed but not reported
     * (the JIT compiler is at work for the first ten thousand requests or so, BENCHMARKS.md); then
     * the measured round of {@code requests}, with the server's compile time during it printed.
     */
    void throughput(int requests, WarmUp warmUp, int concurrency, int rate, Duration timeout, Report report) throws Exception {
        int warmed = 0;
        while (warmed < warmUp.min() || (warmUp.settledMs() > 0 && warmed < warmUp.max())) {
            int n = Math.min(WARMUP_ROUND, (warmed < warmUp.min() ? warmUp.min() : Math.max(warmUp.min(), warmUp.max())) - warmed);
            Double compiledBefore = compileSeconds();
            Round warm = round(n, concurrency, 0, timeout, false);
            Double compiled = since(compiledBefore);
            warmed += n;
            double perRequest = compiled == null ? Double.NaN : compiled * 1000 / n;
            out.printf(Locale.ROOT, "warm-up: %d requests (at least %d), %.1f requests/s to reply sent, %s (not reported)%n", warmed,
                    warmUp.min(), warm.rate(), compiled == null ? "the server's compile time unknown"
                            : String.format(Locale.ROOT, "the server compiled for %.1f s (%.1f ms a request)", compiled, perRequest));
            if (warmed >= warmUp.min()) {
                if (warmUp.settledMs() == 0) {
                    break;
                }
                if (compiled == null) {
                    out.println("  the server's compile time is not readable (/actuator/prometheus): no further warm-up rounds");
                    break;
                }
                if (perRequest < warmUp.settledMs()) {
                    break;
                }
                if (warmed < warmUp.max()) {
                    out.printf(Locale.ROOT, "  still compiling (%d ms a request or more): another round%n", warmUp.settledMs());
                } else {
                    out.printf(Locale.ROOT, "  still compiling after %d requests (--warmup-max): measuring anyway%n", warmed);
                }
            }
        }
        Double compiledBefore = compileSeconds();
        Round r = round(requests, concurrency, rate, timeout, true);
        Double compiled = since(compiledBefore);
        if (compiled != null) {
            out.printf(Locale.ROOT, "  the server compiled for %.1f s during the round (%.1f ms a request)%n", compiled, compiled * 1000 / r.cases());
        }
        if (r.reads() != null) {
            out.println("  read by PostgreSQL from outside its buffers (the OS cache or the disk), verification to reply: " + r.reads());
        }
        if (r.background() != null) {
            out.println("  PostgreSQL's own background work, verification to reply: " + r.background());
        }
        String scenario = rate > 0 ? String.format(Locale.ROOT, "3 verified requests → reply, %d verified per second", rate)
                : "3 verified requests → reply";
        if (rate > 0) {
            // the offered rate is the goal's: the question is whether replies keep pace with verifications
            report.add(new Report.Line(scenario, "sustained: replies sent per second, middle 80 % of the replies", 1,
                    String.format(Locale.ROOT, "%.1f requests/s", r.sustained()), "", "", "", "≥ 50 requests/s",
                    r.sustained() >= 50 ? "yes" : "**no**"));
        }
        report.add(new Report.Line(scenario, String.format(Locale.ROOT, "%d requests, verification to reply queued", r.cases()),
                r.cases(), Stats.seconds(r.queuedLatency().median()), Stats.seconds(r.queuedLatency().p95()), "", "", "", ""));
        report.add(new Report.Line(scenario, "throughput to reply queued", 1, String.format(Locale.ROOT, "%.1f requests/s", r.queuedRate()),
                "", "", "", "≥ 50 requests/s", r.queuedRate() >= 50 ? "yes" : "**no**"));
        report.add(new Report.Line(scenario, String.format(Locale.ROOT, "%d requests, verification to reply sent", r.cases()),
                r.cases(), Stats.seconds(r.latency().median()), Stats.seconds(r.latency().p95()), "", "", "", ""));
        report.add(new Report.Line(scenario, "throughput to reply sent", 1, String.format(Locale.ROOT, "%.1f requests/s", r.rate()), "", "", "",
                "≥ 50 requests/s", r.rate() >= 50 ? "yes" : "**no**"));
    }

    /**
     * {@code requests} people ask (half access, half deletion); once every case waits for
     * verification, all are attested at once by the operator API, and the clock runs from each
     * case's verification to the last mail of its reply leaving the outbox.
     */
    private Round round(int requests, int concurrency, int paced, Duration timeout, boolean countReads) throws Exception {
        rounds++;
        List<String> people = people(requests);
        out.printf(Locale.ROOT, "throughput: %d requests (%s people), submitting by the web form%n", people.size(),
                people.get(0).startsWith("bench") ? "generated account" : "new");
        Map<String, String> references = new ConcurrentHashMap<>();
        parallel(concurrency, people.size(), i -> {
            String type = i % 2 == 0 ? "ACCESS" : "DELETION";
            HttpResponse<String> r = post("/api/requests", "{\"type\":\"" + type + "\",\"email\":\"" + people.get(i) + "\",\"language\":\"en\"}", null);
            if (r.statusCode() == 201) {
                references.put(json.readTree(r.body()).path("reference").asText(), people.get(i));
            }
        });
        if (references.isEmpty()) {
            throw new IllegalStateException("no request was taken in as new (are the form's rate limits raised? see BENCHMARKS.md)");
        }
        List<String> refs = new ArrayList<>(references.keySet());
        out.printf(Locale.ROOT, "  %d new cases; attesting them all%n", refs.size());
        // counted for the measured round only: each count waits a second for PostgreSQL to report
        Map<String, long[]> blocksBefore = countReads ? blockCounts() : null;
        BackgroundWork background = countReads ? BackgroundWork.watch(watchedServers(), target.user(), target.password()) : null;
        int done;
        double attesting;
        try {
            long began = System.nanoTime();
            parallel(concurrency, refs.size(), i -> {
                if (paced > 0) {
                    // paced: the i-th attestation not before i / paced seconds (an open load, not a burst)
                    long wait = began + i * 1_000_000_000L / paced - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                HttpResponse<String> r = post("/api/requests/" + refs.get(i) + "/attestation",
                        "{\"method\":\"benchmark-run\",\"note\":\"benchmark " + run + "\"}", target.operatorToken());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("attestation of " + refs.get(i) + " answered " + r.statusCode() + ": " + r.body());
                }
            });
            attesting = Stats.since(began);
            if (paced > 0 && attesting > 1.05 * (refs.size() - 1) / paced + 0.2) {
                // each client thread waits for its answer: too few of them cannot keep the pace asked for
                out.printf(Locale.ROOT, "  the client fell behind the pace: %d attestations took %s instead of %s (raise --concurrency)%n",
                        refs.size(), Stats.seconds(attesting), Stats.seconds((refs.size() - 1) / (double) paced));
            }
            done = waitForReplies(refs, timeout);
        } finally {
            // stopped whatever ends the round: an attestation refused, the replies timed out
            if (background != null) {
                background.close();
            }
        }
        String reads = countReads ? blockReads(blocksBefore, blockCounts()) : null;
        List<Double> latencies = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        List<Double> queuedLatencies = new ArrayList<>();
        List<Instant> sentAt = new ArrayList<>();
        Instant lastQueued = null;
        // one pass over the outbox for all the cases (its index by case covers unsent items only: a
        // subquery per case read the whole outbox once per case, seconds of the case store's CPU)
        try (Connection c = caseStore(); PreparedStatement ps = c.prepareStatement("select c.id, c.verified_at, s.sent, "
                + "(select min(t.at) from case_transition t where t.case_id = c.id and t.to_state in ('REPLIED', 'REJECTED')) "
                + "from dsr_case c join (select o.case_id, max(o.sent_at) as sent from outbox o join dsr_case v on v.id = o.case_id "
                + "and o.created_at >= v.verified_at where o.case_id = any (?) group by o.case_id) s on s.case_id = c.id "
                + "where c.id = any (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", refs.toArray()));
            ps.setArray(2, c.createArrayOf("varchar", refs.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant verified = rs.getTimestamp(2).toInstant();
                    Instant replied = rs.getTimestamp(3).toInstant();
                    Instant queued = rs.getTimestamp(4).toInstant();
                    sentAt.add(replied);
                    latencies.add(Duration.between(verified, replied).toNanos() / 1e9);
                    queuedLatencies.add(Duration.between(verified, queued).toNanos() / 1e9);
                    lastQueued = lastQueued == null || queued.isAfter(lastQueued) ? queued : lastQueued;
                    first = first == null || verified.isBefore(first) ? verified : first;
                    last = last == null || replied.isAfter(last) ? replied : last;
                }
            }
        }
        double wall = Duration.between(first, last).toNanos() / 1e9;
        double rate = refs.size() / wall;
        out.printf(Locale.ROOT, "  attested in %s; all %d replies sent %s after the first verification%n", Stats.seconds(attesting), done,
                Stats.seconds(wall));
        double queuedRate = refs.size() / (Duration.between(first, lastQueued).toNanos() / 1e9);
        Stats latency = new Stats(latencies);
        Stats queuedLatency = new Stats(queuedLatencies);
        Collections.sort(sentAt);
        int from = sentAt.size() / 10;
        int to = sentAt.size() - 1 - sentAt.size() / 10;
        double middle = Duration.between(sentAt.get(from), sentAt.get(to)).toNanos() / 1e9;
        double sustained = to > from && middle > 0 ? (to - from) / middle : rate;
        out.printf(Locale.ROOT, "  sustained: %.1f replies/s in the middle 80 %% of the replies%n", sustained);
        if (people.get(0).startsWith("bench")) {
            // counted after the round (counting first would bring their rows into the cache for it), and for
            // the access requests only: the deletions' rows are gone by now
            java.util.Set<String> gotCases = new java.util.HashSet<>(references.values());
            describeWeight(java.util.stream.IntStream.range(0, people.size()).filter(i -> i % 2 == 0).mapToObj(people::get)
                    .filter(gotCases::contains).toList());
        }
        return new Round(refs.size(), rate, queuedRate, sustained, latency, queuedLatency, reads,
                background == null ? null : background.summary());
    }

    /**
     * Polls the case store until every case has replied and its mails have left; then the answers
     * per case. Cheap on purpose — it runs while dsrflow is being measured: the cases by their key,
     * and the unsent mails only through the outbox's index of unsent items (a join of the two made
     * PostgreSQL read the whole outbox on every poll).
     */
    private int waitForReplies(List<String> refs, Duration timeout) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection c = caseStore();
             PreparedStatement answered = c.prepareStatement("select count(*) from dsr_case where id = any (?) and state in ('REPLIED', 'REJECTED')");
             PreparedStatement unsent = c.prepareStatement("select count(distinct case_id) from outbox where sent_at is null and case_id = any (?)")) {
            Array ids = c.createArrayOf("varchar", refs.toArray());
            while (true) {
                answered.setArray(1, ids);
                long finished = count(answered);
                if (finished == refs.size()) {
                    unsent.setArray(1, ids);
                    finished -= count(unsent);
                }
                if (finished == refs.size()) {
                    return refs.size();
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(finished + " of " + refs.size() + " cases replied within " + timeout
                            + "; the others are still open (see the console)");
                }
                Thread.sleep(200);
            }
        }
    }

    private static long count(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Scenario 4: {@code requests} requests through each channel named, each timed from sending to its case existing. */
    void intake(List<String> channels, int requests, int concurrency, Duration timeout, Report report) throws Exception {
        for (String channel : channels) {
            Map<String, Instant> sent = new ConcurrentHashMap<>();
            List<String> people = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                people.add("intake-" + channel + "-" + run + "-" + i + "@bench.example.org");
            }
            out.printf(Locale.ROOT, "intake: %d requests by %s%n", requests, channel);
            long began = System.nanoTime();
            switch (channel) {
                case "web" -> parallel(concurrency, requests, i -> {
                    sent.put(people.get(i), Instant.now());
                    HttpResponse<String> r = post("/api/requests", "{\"type\":\"ACCESS\",\"email\":\"" + people.get(i) + "\",\"language\":\"en\"}", null);
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("the form answered " + r.statusCode() + ": " + r.body());
                    }
                });
                case "ticket" -> sendTickets(people, sent);
                case "mail" -> sendMails(people, concurrency, sent);
                default -> throw new IllegalArgumentException("unknown channel '" + channel + "' (web, ticket, mail)");
            }
            double sending = Stats.since(began);
            Map<String, Instant> received = waitForCases(people, timeout);
            List<Double> latencies = new ArrayList<>();
            Instant first = Collections.min(sent.values());
            Instant last = Collections.max(received.values());
            received.forEach((person, at) -> latencies.add(Math.max(0, Duration.between(sent.get(person), at).toNanos() / 1e9)));
            double rate = requests / (Duration.between(first, last).toNanos() / 1e9);
            Stats latency = new Stats(latencies);
            out.printf(Locale.ROOT, "  sent in %s, all taken in after %s: %.1f requests/s%n", Stats.seconds(sending),
                    Stats.seconds(Duration.between(first, last).toNanos() / 1e9), rate);
            report.add(new Report.Line("4 intake: " + channel, String.format(Locale.ROOT, "%d requests, sent to case recorded (%.1f requests/s)",
                    requests, rate), requests, Stats.seconds(latency.median()), Stats.seconds(latency.p95()), "", "", "", ""));
        }
    }

    private void sendTickets(List<String> people, Map<String, Instant> sent) throws IOException {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.kafka());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < people.size(); i++) {
                Map<String, Object> ticket = new LinkedHashMap<>();
                ticket.put("ticketId", "BENCH-" + run + "-" + i);
                ticket.put("source", "jira");
                ticket.put("requesterEmail", people.get(i));
                ticket.put("subject", "Data request");
                ticket.put("body", "Please send me a copy of my personal data.");
                ticket.put("language", "en");
                byte[] body = json.writeValueAsBytes(ticket);
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("dsr.tickets.in", null, body);
                record.headers().add("X-Dsrflow-Source", "jira".getBytes(StandardCharsets.UTF_8));
                record.headers().add(TicketSignature.HEADER, TicketSignature.sign(target.ticketSecret(), body).getBytes(StandardCharsets.UTF_8));
                sent.put(people.get(i), Instant.now());
                producer.send(record);
            }
            producer.flush();
        }
    }

    private void sendMails(List<String> people, int concurrency, Map<String, Instant> sent) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(target.smtpPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(props);
        parallel(concurrency, people.size(), i -> {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(people.get(i)));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(PRIVACY_MAILBOX));
            m.setSubject("My personal data", "UTF-8");
            m.setText("Hello,\n\nplease send me a copy of my personal data.\n\nThank you", "UTF-8");
            sent.put(people.get(i), Instant.now());
            Transport.send(m);
        });
    }

    /** Polls until a case exists for every person; then when each was received. */
    private Map<String, Instant> waitForCases(List<String> people, Duration timeout) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (Connection c = caseStore(); PreparedStatement ps = c.prepareStatement(
                "select subject_email, min(received_at) from dsr_case where subject_email = any (?) group by subject_email")) {
            Array emails = c.createArrayOf("varchar", people.toArray());
            while (true) {
                ps.setArray(1, emails);
                Map<String, Instant> found = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
                if (found.size() == people.size()) {
                    return found;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(found.size() + " of " + people.size() + " requests became cases within " + timeout);
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Generated account holders drawn at random from all of them, so that every round asks the same
     * mix of light and heavy people as the population: the generated log rows are skewed by account,
     * and a stretch of neighbouring accounts measured one slice of that skew (a round of people
     * with hundreds of log rows each, or one with a handful). New addresses when the billing
     * database holds too few generated accounts.
     */
    private List<String> people(int n) throws SQLException {
        try (Connection billing = DriverManager.getConnection(target.url("billing"), target.user(), target.password());
             Statement s = billing.createStatement();
             ResultSet range = s.executeQuery("select min(account_id), max(account_id), count(*) from accounts where email like 'bench%'")) {
            range.next();
            long low = range.getLong(1);
            long high = range.getLong(2);
            if (range.getLong(3) >= 10L * n) {
                List<String> people = new ArrayList<>();
                java.util.Set<String> picked = new java.util.HashSet<>();
                java.util.SplittableRandom random = new java.util.SplittableRandom();
                try (PreparedStatement ps = billing.prepareStatement("select email from accounts where account_id = any (?) and email like 'bench%'")) {
                    // ids between the generated ones may be heavy subjects' or absent: draw again until there are n
                    for (int draw = 0; people.size() < n && draw < 100; draw++) {
                        Long[] ids = new Long[2 * (n - people.size())];
                        for (int i = 0; i < ids.length; i++) {
                            ids[i] = random.nextLong(low, high + 1);
                        }
                        ps.setArray(1, billing.createArrayOf("bigint", ids));
                        // the rows come back in id order: all of them are shuffled before the ones needed are
                        // taken (taking the first would favour low ids, the heavy end of the skew)
                        List<String> found = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                found.add(rs.getString(1));
                            }
                        }
                        Collections.shuffle(found);
                        for (String person : found) {
                            if (people.size() < n && picked.add(person)) {
                                people.add(person);
                            }
                        }
                    }
                }
                if (people.size() == n) {
                    Collections.shuffle(people);
                    return people;
                }
            }
        } catch (SQLException e) {
            out.println("  (no generated accounts to ask for: " + e.getMessage() + "; using new addresses)");
        }
        List<String> people = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            people.add("flow-" + run + "-" + rounds + "-" + i + "@bench.example.org");
        }
        return people;
    }

    /** How many access-log rows the people who asked for their data hold: the round's weight, printed with it. */
    private void describeWeight(List<String> people) {
        if (people.isEmpty()) {
            return;
        }
        try (Connection logs = DriverManager.getConnection(target.url("logs"), target.user(), target.password());
             PreparedStatement ps = logs.prepareStatement("select coalesce(sum(n), 0), count(*), coalesce(max(n), 0) from (select count(*) as n "
                     + "from access_logs where lower(user_email) = any (?) group by lower(user_email)) per_person")) {
            ps.setArray(1, logs.createArrayOf("varchar", people.stream().map(p -> p.toLowerCase(Locale.ROOT)).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                out.printf(Locale.ROOT, "  the access requesters' logs: %d rows, %.1f a person (%d people have some, at most %d)%n", rs.getLong(1),
                        (double) rs.getLong(1) / people.size(), rs.getLong(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            out.println("  (access logs not counted: " + e.getMessage() + ")");
        }
    }

    /**
     * The server's accumulated JIT compile time from its metrics, or null when they cannot be read
     * (the endpoint is off, or not dsrflow's).
     */
    private Double compileSeconds() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(target.app() + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            double total = 0;
            boolean found = false;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_compilation_time_ms_total")) {
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    if (!Double.isFinite(value)) {
                        return null;
                    }
                    total += value;
                    found = true;
                }
            }
            return found ? total / 1000 : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Per database on the demo systems' PostgreSQL server (and on the case store's, its names after
     * "case store: ", when that is another server): blocks read from outside the shared buffers
     * and blocks found in them ({@code pg_stat_database}), or null when not readable.
     */
    private Map<String, long[]> blockCounts() {
        // the statistics reach pg_stat_database up to a second after the reads (PostgreSQL's backends report at
        // most once a second while busy): a pause first, so the last second of the round is counted in it
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        Map<String, long[]> counts = blockCounts(target.url("billing"), "");
        if (counts != null && !target.caseStoreUrl().startsWith(target.server())) {
            Map<String, long[]> caseStore = blockCounts(target.caseStoreUrl(), "case store: ");
            if (caseStore == null) {
                return null;
            }
            caseStore.remove("");
            counts.putAll(caseStore);
        }
        return counts;
    }

    /** The demo systems' PostgreSQL server, and the case store's when it is another. */
    private List<BackgroundWork.Server> watchedServers() {
        List<BackgroundWork.Server> servers = new ArrayList<>();
        servers.add(new BackgroundWork.Server(target.url("billing"), ""));
        if (!target.caseStoreUrl().startsWith(target.server())) {
            servers.add(new BackgroundWork.Server(target.caseStoreUrl(), "case store: "));
        }
        return servers;
    }

    /** The counts of every database of the server that {@code url} points at, their names after {@code label}. */
    private Map<String, long[]> blockCounts(String url, String label) {
        try (Connection c = DriverManager.getConnection(url, target.user(), target.password()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select datname, blks_read, blks_hit from pg_stat_database where datname is not null "
                     + "union all select '', current_setting('block_size')::bigint, 0")) {
            Map<String, long[]> counts = new java.util.TreeMap<>();
            while (rs.next()) {
                // the server's block size travels along under the empty name
                counts.put(rs.getString(1).isEmpty() ? "" : label + rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            }
            return counts;
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * What each database read from outside PostgreSQL's buffers between two counts, largest first
     * ("logs 812.0 MB (9 % of its blocks)"); the databases that read nothing are left out. A run whose
     * demo systems read much from the disk measures the disk as well (BENCHMARKS.md).
     */
    static String blockReads(Map<String, long[]> before, Map<String, long[]> after) {
        if (before == null || after == null) {
            return null;
        }
        long blockBytes = after.containsKey("") ? after.get("")[0] : 8192;
        List<String> parts = new ArrayList<>();
        after.entrySet().stream()
                .filter(e -> !e.getKey().isEmpty() && before.containsKey(e.getKey()))
                .map(e -> Map.entry(e.getKey(), new long[] {e.getValue()[0] - before.get(e.getKey())[0], e.getValue()[1] - before.get(e.getKey())[1]}))
                .filter(e -> e.getValue()[0] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> {
                    long read = e.getValue()[0];
                    long all = read + e.getValue()[1];
                    parts.add(String.format(Locale.ROOT, "%s %.1f MB (%.0f %% of its blocks)", e.getKey(), read * blockBytes / 1e6,
                            100.0 * read / all));
                });
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    private Double since(Double compiledBefore) {
        Double now = compiledBefore == null ? null : compileSeconds();
        return now == null ? null : now - compiledBefore;
    }

    private HttpResponse<String> post(String path, String body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.app() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer).header("X-Dsrflow-Operator", "benchmark");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Connection caseStore() throws SQLException {
        return DriverManager.getConnection(target.caseStoreUrl(), target.user(), target.password());
    }

    /** One step of a parallel loop. */
    @FunctionalInterface
    interface Step {
        void run(int i) throws Exception;
    }

    private static void parallel(int threads, int n, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    step.run(k);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

}
