package org.dsrflow.connector.manual;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorContract;
import org.dsrflow.connector.Subject;
import org.dsrflow.support.Http;
import org.dsrflow.support.Mailbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The connector contract for the manual type. The system is a paper archive kept in this test; its
 * owner is played by a thread that reads the task mails over IMAP, opens the signed link and
 * reports what it did — as a person would, through the same page and form.
 */
// the same configuration as EmbeddedStackTest, annotations included, so both share one running stack
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:dsrflow-test.properties")
@Tag("stack")
class ManualContractTests extends ConnectorContract {
    private static final Pattern LINK = Pattern.compile("https?://[^\\s/]+(/manual/\\S+)");
    private static final Pattern PERSON = Pattern.compile("Person:\\s+(\\S+)");
    private static final Pattern TASK = Pattern.compile("Subject: .*?: (export|erase|check) in ", Pattern.DOTALL);
    static final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();

    @LocalServerPort
    int port;
    @Value("${dsrflow.embedded.mail.imap-port}")
    int imapPort;
    @Autowired
    ManualConnectorFactory factory;

    final String owner = "archive-owner-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    /** The paper archive: dataset -> rows (each with the person's address in "email"). */
    final Map<String, List<Map<String, String>>> archive = new LinkedHashMap<>();
    volatile Thread ownerAtWork;

    String file(String system, String ownerAddress) {
        return """
                system: %s
                type: manual
                title: "Paper archive: signed contracts and letters"
                owner: %s
                answer-within: PT1H
                datasets:
                  - name: contracts
                    purpose: "Signed service contracts"
                    categories: [identity.name, contact.email, contract.document]
                    on-erase: retain
                    retention: { reason: "Contracts are kept for the limitation period", legal-basis: "Civil Code Art. 188", period: P3Y }
                  - name: letters
                    purpose: "Letters from and to customers"
                    categories: [contact.email, correspondence]
                    on-erase: delete
                """.formatted(system, ownerAddress);
    }

    @Override
    protected Connector freshSystem() throws Exception {
        archive.clear();
        archive.put("contracts", new ArrayList<>(List.of(
                row("C-1", "ann@example.com", "Ann Lee"), row("C-2", "ben@example.com", "Ben Wu"))));
        archive.put("letters", new ArrayList<>(List.of(
                row("L-1", "ann@example.com", "Ann Lee, \"complaint\", 2024"), row("L-2", "ann@example.com", "Ann Lee\nsecond page"),
                row("L-3", "ben@example.com", "Ben Wu"))));
        startOwner();
        return factory.create("connectors/archive.yaml", new ObjectMapper(new YAMLFactory()).readTree(file("archive", owner)));
    }

    @Override
    protected Connector unreachableSystem() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
        config.setConnectionTimeout(1000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource down = new HikariDataSource(config);
        pools.add(down);
        return factory.create("connectors/archive_down.yaml", new ObjectMapper(new YAMLFactory()).readTree(file("archive_down", owner)),
                down);
    }

    @Override
    protected BadConfig badConfig() throws Exception {
        return new BadConfig(factory, "connectors/archive.yaml", new ObjectMapper(new YAMLFactory()).readTree(file("archive", "the archive team")),
                "owner");
    }

    @Override
    protected Subject subject() {
        return new Subject("ann@example.com");
    }

    @Override
    protected Subject bystander() {
        return new Subject("ben@example.com");
    }

    @Override
    protected String subjectMarker() {
        return "Ann Lee";
    }

    @Test
    void theOwnersReportsArriveThroughTheSignedLinkOnlyOnce() throws Exception {
        Connector connector = freshSystem();
        connector.export(subject(), new Collected());
        Mailbox.Mail task = new Mailbox(imapPort).read(owner).get(0);
        Matcher link = LINK.matcher(task.body());
        assertThat(link.find()).isTrue();
        Http http = new Http(port);
        assertThat(http.get(link.group(1)).status()).as("a reported task's link is spent").isEqualTo(410);
        assertThat(http.get(link.group(1).substring(0, link.group(1).length() - 4) + "0000").status()).as("a forged signature")
                .isEqualTo(404);
        assertThat(task.body()).contains("ann@example.com", "Paper archive");
    }

    @AfterEach
    void stopOwner() throws InterruptedException {
        Thread t = ownerAtWork;
        ownerAtWork = null;
        if (t != null) {
            t.interrupt();
            t.join(5000);
        }
    }

    @AfterAll
    static void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    private void startOwner() {
        if (ownerAtWork != null) {
            return;
        }
        Thread t = new Thread(() -> {
            Mailbox mailbox = new Mailbox(imapPort);
            Set<String> handled = new HashSet<>();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (Mailbox.Mail mail : mailbox.read(owner)) {
                        if (handled.add(mail.messageId())) {
                            act(mail);
                        }
                    }
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the mailbox may not exist before the first task; look again
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, "archive-owner");
        t.setDaemon(true);
        ownerAtWork = t;
        t.start();
    }

    /** What the owner does with one task mail. */
    private void act(Mailbox.Mail mail) throws Exception {
        Matcher link = LINK.matcher(mail.body());
        Matcher person = PERSON.matcher(mail.body());
        Matcher action = TASK.matcher("Subject: " + mail.subject());
        if (!link.find() || !person.find() || !action.find()) {
            return;
        }
        Http http = new Http(port);
        if (http.get(link.group(1)).status() != 200) {
            return;
        }
        String email = person.group(1);
        Multipart form = new Multipart();
        form.field("reporter", "Archive clerk");
        switch (action.group(1)) {
            case "export" -> archive.forEach((dataset, rows) -> {
                StringBuilder csv = new StringBuilder("ref,email,text\n");
                rows.stream().filter(r -> r.get("email").equalsIgnoreCase(email))
                        .forEach(r -> csv.append(r.get("ref")).append(',').append(r.get("email")).append(',')
                                .append('"').append(r.get("text").replace("\"", "\"\"")).append("\"\n"));
                form.file("file." + dataset, csv.toString());
            });
            case "erase" -> {
                long kept = archive.get("contracts").stream().filter(r -> r.get("email").equalsIgnoreCase(email))
                        .peek(r -> {
                            r.put("email", "[erased]");
                            r.put("text", "[erased]");
                        }).count();
                List<Map<String, String>> letters = archive.get("letters");
                long deleted = letters.stream().filter(r -> r.get("email").equalsIgnoreCase(email)).count();
                letters.removeIf(r -> r.get("email").equalsIgnoreCase(email));
                form.field("rows.contracts", String.valueOf(kept));
                form.field("rows.letters", String.valueOf(deleted));
                form.field("confirm", "yes");
            }
            default -> archive.forEach((dataset, rows) -> form.field("remaining." + dataset,
                    String.valueOf(rows.stream().filter(r -> r.get("email").equalsIgnoreCase(email)).count())));
        }
        Http.Reply reply = http.post(link.group(1), form.contentType(), form.body());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static Map<String, String> row(String ref, String email, String text) {
        return new LinkedHashMap<>(Map.of("ref", ref, "email", email, "text", text));
    }

    /** A multipart/form-data body, as a browser sends the report form. */
    static final class Multipart {
        private final String boundary = "----dsrflow" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        }

        void file(String name, String content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name + ".csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n" + content + "\r\n");
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] body() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
