package org.dsrflow.intake.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.Charset;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.dsrflow.cases.CaseType;
import org.dsrflow.cases.Channel;
import org.dsrflow.fuzz.Fuzz;
import org.dsrflow.fuzz.Hostile;
import org.dsrflow.intake.RequestValidation;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * A mail in the privacy mailbox, from its raw bytes ({@link MailReader#read}): whatever arrives is
 * a request, a mail not to answer, or a quarantine with a reason — the reader never throws — and
 * the header section a quarantine keeps of it. Also the reader's HTML-to-text step ({@link HtmlText}).
 */
class MailReaderFuzzTests {
    private static final String OWN = "privacy@dsrflow.example";
    private final MailReader reader = new MailReader(OWN, List.of("support.example.com", "lead@helpdesk.example"), 20_000);

    @Test
    void anyMailIsARequestAnIgnoredMailOrAQuarantineWithAReason() {
        Fuzz.check(mails(), raw -> Fuzz.expect(() -> reader.read(raw), mail -> {
            assertThat(mail.key()).matches("(mid:<[\\x21-\\x7e]+>|sha256:[0-9a-f]{64})");
            assertThat(mail.size()).isEqualTo(raw.length);
            assertThat(mail.disposition()).isNotNull();
            if (mail.isRequest()) {
                assertThat(mail.reason()).isNull();
                assertThat(mail.newRequest().channel()).isEqualTo(Channel.EMAIL);
                assertThat(mail.newRequest().type()).isIn(CaseType.ACCESS, CaseType.DELETION, CaseType.UNDECIDED);
                String person = mail.newRequest().subjectEmail();
                assertThat(RequestValidation.email("from", person)).isEqualTo(person);
                assertThat(person).isNotEqualTo(OWN);
                assertThat(mail.newRequest().language()).isIn(RequestValidation.LANGUAGES);
                assertThat(mail.newRequest().sourceRef()).isEqualTo("mail:" + mail.key());
            } else {
                Fuzz.readable(mail.reason());
                assertThat(mail.reason()).as("a reason naming an exception is a bug in the reader")
                        .doesNotContainPattern("NullPointer|ClassCast|IndexOutOfBounds|StackOverflow|Arithmetic|IllegalState");
            }
            // what a quarantine keeps of the mail in the case store: the start of it, and bounded
            byte[] kept = MailIntake.headerSection(raw);
            assertThat(kept.length).isLessThanOrEqualTo(Math.min(raw.length, MailIntake.MAX_KEPT_HEADER_BYTES));
            assertThat(kept).isEqualTo(Arrays.copyOf(raw, kept.length));
        }));
    }

    @Test
    void htmlOfManyUnclosedTagsIsReadInTimeProportionalToItsLength() {
        // each of these once took quadratic time: 200,000 characters of them kept the mail route busy for minutes
        for (String piece : List.of("<script>", "<style x", "<!--", "<br", "<", "<title><head>")) {
            String html = piece.repeat(200_000 / piece.length());
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> HtmlText.toText(html), piece);
        }
    }

    @Test
    void anyHtmlBecomesText() {
        Fuzz.check(html(), text -> Fuzz.expect(() -> HtmlText.toText(text), plain -> assertThat(plain).isNotNull()));
    }

    /** Mails built part by part with hostile headers, charsets, encodings and nesting; any bytes; and cut mails. */
    static Gen<byte[]> mails() {
        return Generate.frequency(List.of(
                Pair.of(10, in -> encode(in, mail(in, 0))),
                Pair.of(2, Hostile.bytes()),
                Pair.of(1, in -> {
                    byte[] whole = encode(in, mail(in, 0));
                    return Arrays.copyOf(whole, Hostile.draw(in, whole.length));
                })));
    }

    private static byte[] encode(RandomnessSource in, String mail) {
        Charset charset = Hostile.pick(in, List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
                Charset.forName("GB18030"), StandardCharsets.UTF_16LE));
        return mail.getBytes(charset);
    }

    private static String mail(RandomnessSource in, int depth) {
        StringBuilder m = new StringBuilder();
        header(m, "From", Hostile.pick(in, List.of("Ann Lee <ann.lee@example.com>", "ann@example.com", "Agent <agent@support.example.com>",
                "lead@helpdesk.example", OWN, "MAILER-DAEMON@example.com", "ann@example.com, bo@example.org", "",
                "=?UTF-8?B?" + b64("Ann\r\nBcc: x@example.com") + "?= <ann@example.com>", "<>", "undisclosed-recipients:;",
                "\"a@b\" <bo@example.org>", Hostile.shortText().generate(in))));
        header(m, "To", OWN);
        header(m, "Subject", Hostile.pick(in, List.of("Please delete my data", "Access request", "Fwd: data request", "转发: 请删除我的数据",
                "=?UTF-8?B?" + b64(Hostile.shortText().generate(in)) + "?=", "=?x-unknown?Q?caf=E9?=", "=?UTF-8?Q?a=0D=0AX-Injected:_1?=",
                Hostile.shortText().generate(in), "word ".repeat(2_000))));
        if (Hostile.draw(in, 3) > 0) {
            header(m, "Message-ID", Hostile.pick(in, List.of("<" + Hostile.draw(in, 1_000_000) + "@mail.example.com>", "<a@dsrflow.example>",
                    Hostile.shortText().generate(in), "<>", "<" + "x".repeat(300) + "@example.com>")));
        }
        if (Hostile.draw(in, 3) == 0) {
            header(m, "References", Hostile.pick(in, List.of("<a@x.example> <b@y.example>", "<a@x>".repeat(100), Hostile.shortText().generate(in))));
        }
        if (Hostile.draw(in, 3) == 0) {
            header(m, Hostile.pick(in, List.of("Auto-Submitted", "Precedence", "List-Id", "Return-Path", "X-Autoreply", "X-Dsrflow-Mail",
                    "Authentication-Results", "Content-Disposition")), Hostile.pick(in, List.of("auto-replied", "no", "bulk", "<>",
                    "mx.example.com; dmarc=fail", "yes", Hostile.shortText().generate(in))));
        }
        header(m, "MIME-Version", "1.0");
        part(in, m, depth);
        return m.toString();
    }

    private static void part(RandomnessSource in, StringBuilder m, int depth) {
        switch (depth > 11 ? 0 : Hostile.draw(in, 9)) {
            case 0, 1, 2 -> text(in, m, "text/plain");
            case 3 -> text(in, m, "text/html");
            case 4, 5 -> {
                String boundary = Hostile.pick(in, List.of("b" + depth, "=_part_" + depth, "", " ", "b".repeat(200), Hostile.shortText().generate(in)));
                header(m, "Content-Type", "multipart/" + Hostile.pick(in, List.of("mixed", "alternative", "report", "related", "x-weird"))
                        + "; boundary=\"" + boundary + "\"");
                m.append("\r\npreamble\r\n");
                int parts = Hostile.draw(in, 4);
                for (int i = 0; i < parts; i++) {
                    m.append("--").append(boundary).append("\r\n");
                    part(in, m, depth + 1);
                    m.append("\r\n");
                }
                if (Hostile.draw(in, 3) > 0) {
                    m.append("--").append(boundary).append("--\r\n");
                }
            }
            case 6 -> {
                header(m, "Content-Type", "message/rfc822");
                m.append("\r\n").append(mail(in, depth + 1));
            }
            case 7 -> {
                header(m, "Content-Type", "application/octet-stream; name=\"data.bin\"");
                header(m, "Content-Disposition", "attachment; filename=\"" + Hostile.shortText().generate(in) + "\"");
                header(m, "Content-Transfer-Encoding", "base64");
                m.append("\r\n").append(b64(Hostile.shortText().generate(in))).append("\r\n");
            }
            default -> {
                header(m, "Content-Type", Hostile.shortText().generate(in));
                m.append("\r\n").append(Hostile.shortText().generate(in));
            }
        }
    }

    private static void text(RandomnessSource in, StringBuilder m, String type) {
        String charset = Hostile.pick(in, List.of("utf-8", "\"UTF-8\"", "gb2312", "iso-8859-1", "x-unknown", "", "utf-7", "utf-32",
                Hostile.shortText().generate(in)));
        header(m, "Content-Type", type + "; charset=" + charset);
        String body = Hostile.pick(in, type.equals("text/html") ? HTML : BODIES) + Hostile.text().generate(in);
        switch (Hostile.draw(in, 5)) {
            case 0 -> {
                header(m, "Content-Transfer-Encoding", "base64");
                String encoded = b64(body);
                m.append("\r\n").append(Hostile.draw(in, 3) == 0 ? encoded.substring(0, encoded.length() / 2) + "!*" : encoded);
            }
            case 1 -> {
                header(m, "Content-Transfer-Encoding", "quoted-printable");
                m.append("\r\n").append(body.replace("=", "=3D")).append(Hostile.pick(in, List.of("", "=", "=Z9", "=\r\n")));
            }
            case 2 -> {
                header(m, "Content-Transfer-Encoding", Hostile.pick(in, List.of("x-uuencode", "8bit", "binary", "gzip", Hostile.shortText().generate(in))));
                m.append("\r\n").append(body);
            }
            default -> m.append("\r\n").append(body);
        }
        m.append("\r\n");
    }

    private static final List<String> BODIES = List.of(
            "Please send me a copy of all my personal data.\r\n",
            "Delete my account and everything you hold about me.\r\n",
            "请删除我的所有个人数据。\r\n",
            "---------- Forwarded message ---------\r\nFrom: Bo Chen <bo.chen@example.org>\r\nMessage-ID: <orig-1@example.org>\r\n\r\n"
                    + "Please delete my data.\r\n",
            "> From: \"x@y\" <wang.fang@example.cn>\r\n> 请删除我的数据\r\n",
            "Begin forwarded message:\r\n\r\nFrom: privacy@dsrflow.example\r\n",
            "\u0000\u0001\u0002\u0003binary\u0000\u0000\u0000\u0000\u0000\u0000\u0000",
            "");
    private static final List<String> HTML = List.of(
            "<html><head><title>x</title><style>p{}</style></head><body><p>Please delete my data</p><br><div>thanks</div></body></html>",
            "<script>alert('x')</script><p>Access request&nbsp;&amp;&lt;&#x4E2D;&#25991;&#x110000;&#99999999;&#xD800;</p>",
            "<!-- unclosed comment <p>delete</p>", "<p>" + "<b>".repeat(500), "<script>", "");

    /** HTML as mails carry it, and the fragments that make regular expressions slow or wrong. */
    static Gen<String> html() {
        List<String> pieces = List.of("<script>", "</script>", "<style type=x>", "</style >", "<head>", "<title>", "<!--", "-->",
                "<br/>", "</p>", "<div class=\"a\">", "<", ">", "&nbsp;", "&amp;", "&#x1F600;", "&#1114112;", "&#xFFFFFFFF;", "&#0;",
                "&#65", "<a href='x'>", "</h7>", "text ", "中文 ", "\r\n", "\t");
        Gen<String> built = in -> {
            StringBuilder out = new StringBuilder();
            int n = Hostile.draw(in, 40);
            for (int i = 0; i < n; i++) {
                out.append(Hostile.draw(in, 4) == 0 ? Hostile.shortText().generate(in) : Hostile.pick(in, pieces));
            }
            return out.toString();
        };
        return Generate.frequency(List.of(
                Pair.of(6, built),
                Pair.of(2, Hostile.text()),
                Pair.of(1, Generate.pick(pieces).zip(Generate.range(200, 5_000), String::repeat))));
    }

    private static void header(StringBuilder m, String name, String value) {
        m.append(name).append(": ").append(value).append("\r\n");
    }

    private static String b64(String text) {
        return Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
