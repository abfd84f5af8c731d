package org.dsrflow.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.dsrflow.intake.IntakeSettings;
import org.dsrflow.intake.RequestValidation;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.util.unit.DataSize;

/**
 * A ticket event as a support tool sends it ({@code POST /api/tickets} or the tickets topic): the
 * bytes, the source header and the signature header, read by {@link TicketIntake#read(byte[], String, String)}.
 * Most generated tickets are signed correctly, so the fields behind the signature check are reached.
 */
class TicketIntakeFuzzTests {
    private static final Map<String, IntakeSettings.Source> SOURCES = Map.of(
            "zendesk", new IntakeSettings.Source("zendesk-test-secret", null, false, null),
            "jira", new IntakeSettings.Source("jira-test-secret", null, true, null));
    // the quarantine (for tickets from Kafka) is the case store's: not needed to read a ticket
    private final TicketIntake intake = new TicketIntake(
            new IntakeSettings(null, new IntakeSettings.Tickets("tickets", "updates", DataSize.ofKilobytes(64), SOURCES)),
            Jackson2ObjectMapperBuilder.json().build(), null);

    record Ticket(byte[] body, String source, String signature) {
        @Override
        public String toString() {
            return "source=" + Fuzz.show(source) + " signature=" + Fuzz.show(signature) + " body=" + Fuzz.show(body);
        }
    }

    @Test
    void anyTicketIsARequestOrARejectionWithItsReasonAndStatus() {
        Fuzz.check(tickets(), ticket -> Fuzz.expect(() -> intake.read(ticket.body(), ticket.source(), ticket.signature()), request -> {
            assertThat(request.type()).isIn(CaseType.ACCESS, CaseType.DELETION, CaseType.UNDECIDED);
            assertThat(request.channel()).isEqualTo(Channel.TICKET);
            assertThat(RequestValidation.email("requesterEmail", request.requesterEmail())).isEqualTo(request.requesterEmail());
            assertThat(request.language()).isIn(RequestValidation.LANGUAGES);
            assertThat(request.sourceSystem()).isEqualTo(ticket.source());
            assertThat(request.sourceTicketId()).matches("[A-Za-z0-9._:#/-]{1,128}");
            assertThat(request.sourceRef()).isEqualTo("ticket:" + ticket.source() + ":" + request.sourceTicketId());
            if (request.attestedBy() != null) {
                assertThat(SOURCES.get(ticket.source()).trustAttestation()).isTrue();
                assertThat(request.attestedBy()).isEqualTo(request.agentEmail());
            }
        }, refusal -> {
            TicketRejectedException rejected = (TicketRejectedException) refusal;
            assertThat(rejected.reason()).matches("[a-z_]+");
            assertThat(rejected.status()).isIn(400, 401, 413);
        }, TicketRejectedException.class));
    }

    static Gen<Ticket> tickets() {
        Gen<byte[]> bodies = Generate.frequency(List.of(
                Pair.of(8, Hostile.jsonNear(validTickets()).map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Pair.of(1, Hostile.bytes()),
                Pair.of(1, Generate.range(60_000, 70_000).map(n -> ("{\"body\":\"" + "x".repeat(n) + "\"}").getBytes(StandardCharsets.UTF_8)))));
        return in -> {
            byte[] body = bodies.generate(in);
            String source = switch (Hostile.draw(in, 9)) {
                case 0 -> null;
                case 1 -> Hostile.text().generate(in);
                case 2, 3, 4 -> "jira";
                default -> "zendesk";
            };
            IntakeSettings.Source known = source == null ? null : SOURCES.get(source);
            String signed = TicketSignature.sign(known == null ? "zendesk-test-secret" : known.secret(), body);
            String signature = switch (Hostile.draw(in, 9)) {
                case 0 -> null;
                case 1 -> Hostile.text().generate(in);
                case 2 -> signed.toUpperCase(java.util.Locale.ROOT);
                case 3 -> " " + signed + "\r\n";
                case 4 -> signed.substring(0, signed.length() - 1) + "0";
                default -> signed;
            };
            return new Ticket(body, source, signature);
        };
    }

    static List<JsonNode> validTickets() {
        List<JsonNode> tickets = new ArrayList<>();
        for (String source : List.of("zendesk", "jira")) {
            Map<String, Object> ticket = new LinkedHashMap<>();
            ticket.put("ticketId", source.equals("jira") ? "PRIV-1042" : "48213");
            ticket.put("source", source);
            ticket.put("requesterEmail", "ann.lee@example.com");
            ticket.put("subject", "Please delete my account");
            ticket.put("body", "Hello,\nI want all my personal data deleted.\r\n\tThanks, Ann");
            ticket.put("language", "en");
            ticket.put("agent", "agent@support.example.com");
            ticket.put("identityAttested", true);
            ticket.put("type", "DELETION");
            tickets.add(Hostile.object(ticket));
        }
        tickets.add(Hostile.json("{\"ticketId\":\"ZD#7/a:b.c-d\",\"requesterEmail\":\"wang.fang@example.cn\",\"subject\":\"请删除我的个人数据\"}"));
        tickets.add(Hostile.json("{\"ticketId\":\"1\",\"requesterEmail\":\"bo@example.org\",\"body\":\"Send me a copy of my data\"}"));
        return tickets;
    }
}
