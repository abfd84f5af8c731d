package org.dsrflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A case with a manual system among the demo's: the task is mailed to the archive's owner, a
 * reminder follows when no report comes within answer-within, the case waits for the owner alone
 * (every other system done once), and the owner's upload ends up in the person's package.
 * Runs in a context of its own, with test-connectors/archive.yaml added to the demo's files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:dsrflow-test.properties",
        properties = "dsrflow.connectors.location=classpath*:connectors/*.yaml,classpath*:test-connectors/*.yaml")
@Tag("stack")
class ManualFulfilmentTests {
    private static final String OWNER = "archive-owner@example.com";
    private static final Pattern LINK = Pattern.compile("https?://[^\\s/]+(/manual/\\S+)");

    @LocalServerPort
    int port;
    @Value("${dsrflow.embedded.mail.imap-port}")
    int imapPort;
    @Autowired
    JdbcTemplate caseStore;
    @Value("${dsrflow.export.dir}")
    String exportDir;

    @Test
    void theOwnerIsRemindedThenReportsAndTheUploadIsInThePackage() throws Exception {
        String person = "emma.walker@example.com";
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);
        String reference = verifiedRequest(http, mailbox, "ACCESS", person);

        Mailbox.Mail task = mailbox.await(OWNER, m -> m.body().contains(reference), Duration.ofSeconds(30));
        assertThat(task.subject()).startsWith("Personal data request " + reference + ": export in archive");
        assertThat(task.body()).contains(person);
        http.awaitState(reference, "WAITING_ON_SYSTEMS");

        // no report within answer-within (3 s here): the owner is reminded, with the same link
        Mailbox.Mail reminder = mailbox.await(OWNER, m -> m.subject().startsWith("Reminder: ") && m.body().contains(reference),
                Duration.ofSeconds(30));
        String link = group(LINK.pattern(), reminder.body());
        assertThat(group(LINK.pattern(), task.body())).isEqualTo(link);
        Map<String, Map<String, Object>> tasks = tasks(reference);
        assertThat(tasks.get("archive")).containsEntry("state", "WAITING");
        for (String system : new String[] {"billing", "logs", "crm", "notifications", "helpdesk"}) {
            assertThat(tasks.get(system)).as(system + " finished, asked once").containsEntry("attempts", 1)
                    .extractingByKey("state").isIn("DONE", "NOT_FOUND");
        }
        assertThat(mailbox.read(person)).extracting(Mailbox.Mail::subject).noneMatch(s -> s.startsWith("Your personal data"));
        // the finished systems' parts wait on disk for the archive: encrypted, like the package will be
        java.nio.file.Path billingPart = java.nio.file.Path.of(exportDir).toAbsolutePath().resolve(reference).resolve("billing.json");
        assertThat(billingPart).exists();
        assertThat(new String(java.nio.file.Files.readAllBytes(billingPart), StandardCharsets.ISO_8859_1))
                .doesNotContain(person).doesNotContain("Emma").doesNotContain("\"tables\"");

        assertThat(http.get(link).body()).contains("Paper archive", person, "contracts", "letters");
        Http.Reply noReporter = http.post(link, multipartContentType(), multipart(Map.of(), Map.of()));
        assertThat(noReporter.status()).isEqualTo(400);
        Http.Reply badCsv = http.post(link, multipartContentType(), multipart(Map.of("reporter", "Archive clerk"),
                Map.of("file.letters", "ref,text\nL-9,\"never closed\n")));
        assertThat(badCsv.json().path("error").asText()).isEqualTo("bad_csv");
        Http.Reply reported = http.post(link, multipartContentType(), multipart(Map.of("reporter", "Archive clerk"),
                Map.of("file.contracts", "ref,signed,email\nC-77,2024-03-01," + person + "\n",
                        "file.letters", "")));
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        assertThat(http.post(link, multipartContentType(), multipart(Map.of("reporter", "Archive clerk"), Map.of())).status())
                .as("reported once").isEqualTo(410);

        http.awaitState(reference, "REPLIED");
        Mailbox.Mail reply = mailbox.await(person, m -> m.subject().startsWith("Your personal data"), Duration.ofSeconds(30));
        Mailbox.Mail passcode = mailbox.await(person, m -> m.subject().startsWith("Passcode for your data"), Duration.ofSeconds(30));
        Map<String, byte[]> zip = Http.unzip(http.download("/download/" + group("/download/([A-Za-z0-9_-]+)", reply.body()),
                group("\\b(\\d{8})\\b", passcode.body())));
        String archive = new String(zip.get("archive.json"), StandardCharsets.UTF_8);
        assertThat(archive).contains("C-77", "Signed service contracts");
        assertThat(tasks(reference).get("archive")).containsEntry("state", "DONE");
        assertThat(caseStore.queryForObject("select count(*) from audit_log where case_id = ? and action = 'manual.reported' "
                + "and actor = 'Archive clerk'", Integer.class, reference)).isEqualTo(1);
    }

    @Test
    void anAgentClosesTheOwnersErasureTaskFromTheConsoleAndTheLinkIsSpent() throws Exception {
        String person = "zoe.palmer@example.com";
        Http http = new Http(port);
        Mailbox mailbox = new Mailbox(imapPort);
        String reference = verifiedRequest(http, mailbox, "DELETION", person);
        Mailbox.Mail task = mailbox.await(OWNER, m -> m.body().contains(reference), Duration.ofSeconds(30));
        String link = group(LINK.pattern(), task.body());
        http.awaitState(reference, "WAITING_ON_SYSTEMS");

        org.dsrflow.support.StaffSession agent = new org.dsrflow.support.StaffSession(port);
        agent.signIn("agent", "demo-only-password");
        String close = "/api/console/cases/" + reference + "/actions/close-task";
        assertThat(agent.postJson(close, "{\"system\":\"archive\",\"rows\":{\"photos\":1},\"reason\":\"phone\"}").status())
                .as("no such dataset").isEqualTo(400);
        assertThat(agent.postJson(close, "{\"system\":\"billing\",\"reason\":\"phone\"}").status()).isEqualTo(404);
        Http.Reply closed = agent.postJson(close, "{\"system\":\"archive\",\"rows\":{\"letters\":2,\"contracts\":1},"
                + "\"reason\":\"The archivist confirmed by phone; letters shredded.\"}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        assertThat(closed.json().path("reported").asText()).isEqualTo("retained");
        assertThat(agent.postJson(close, "{\"system\":\"archive\",\"reason\":\"again\"}").status()).isEqualTo(409);
        assertThat(http.get(link).status()).as("the owner's link is spent").isEqualTo(410);

        http.awaitState(reference, "REPLIED");
        Mailbox.Mail report = mailbox.await(person, m -> m.body().contains("Paper archive") || m.body().contains("archive"), Duration.ofSeconds(30));
        assertThat(report.body()).contains("Contracts are kept for the limitation period");
        assertThat(tasks(reference).get("archive")).containsEntry("state", "RETAINED");
        assertThat(caseStore.queryForObject("select actor || ' ' || (detail::json ->> 'reason') from audit_log where case_id = ? "
                + "and action = 'manual.closed-by-operator'", String.class, reference))
                .isEqualTo("operator:agent The archivist confirmed by phone; letters shredded.");
    }

    /** A web request by a person who then confirms it with the mailed code. */
    private static String verifiedRequest(Http http, Mailbox mailbox, String type, String person) throws Exception {
        String reference = http.postJson("/api/requests", "{\"type\":\"" + type + "\",\"email\":\"" + person + "\",\"language\":\"en\"}")
                .json().path("reference").asText();
        Mailbox.Mail verification = mailbox.await(person, m -> m.subject().contains(reference), Duration.ofSeconds(30));
        http.postJson("/api/requests/" + reference + "/verification", "{\"code\":\"" + group("\\b(\\d{6})\\b", verification.body()) + "\"}");
        return reference;
    }

    private Map<String, Map<String, Object>> tasks(String reference) {
        Map<String, Map<String, Object>> bySystem = new HashMap<>();
        for (Map<String, Object> row : caseStore.queryForList("select system, state, attempts from connector_task where case_id = ?",
                reference)) {
            bySystem.put((String) row.get("system"), row);
        }
        return bySystem;
    }

    private static final String BOUNDARY = "----dsrflow-test-" + UUID.randomUUID();

    private static String multipartContentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    private static byte[] multipart(Map<String, String> fields, Map<String, String> files) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        files.forEach((name, content) -> body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"; filename=\"").append(name).append(".csv\"\r\nContent-Type: text/csv\r\n\r\n").append(content)
                .append("\r\n"));
        return body.append("--").append(BOUNDARY).append("--\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }

}
