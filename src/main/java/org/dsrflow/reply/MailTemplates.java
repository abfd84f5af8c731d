package org.dsrflow.reply;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The mail texts in config/mail, one file per mail and language ({@code verification.zh.txt}),
 * first line {@code Subject: ...}, then a blank line and the body. {@code {{name}}} is replaced by
 * a value; an unknown name is an error rather than a mail with a hole in it.
 */
@Component
class MailTemplates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z]+)}}");

    record Rendered(String subject, String body) {
    }

    private final ResourceLoader resources;
    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private final Map<String, Properties> labels = new ConcurrentHashMap<>();

    MailTemplates(ResourceLoader resources) {
        this.resources = resources;
    }

    Rendered render(String name, String language, Map<String, String> values) {
        String text = cache.computeIfAbsent(name + "." + language, key -> load("classpath:mail/" + key + ".txt"));
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("mail template " + name + "." + language + " needs a value for " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String rendered = out.toString();
        int split = rendered.indexOf('\n');
        String first = rendered.substring(0, split).trim();
        if (!first.startsWith("Subject:")) {
            throw new IllegalStateException("mail template " + name + "." + language + " must start with 'Subject:'");
        }
        return new Rendered(first.substring("Subject:".length()).trim(), rendered.substring(split + 1).stripLeading());
    }

    /** Short phrases used inside generated parts of a mail (report lines), from {@code labels.<language>.properties}. */
    /** A label that may be missing (a special wording for one value, say). */
    java.util.Optional<String> optionalLabel(String language, String key) {
        try {
            return java.util.Optional.of(label(language, key));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    String label(String language, String key) {
        Properties p = labels.computeIfAbsent(language, lang -> {
            Properties loaded = new Properties();
            try (Reader r = new InputStreamReader(resources.getResource("classpath:mail/labels." + lang + ".properties")
                    .getInputStream(), StandardCharsets.UTF_8)) {
                loaded.load(r);
            } catch (IOException e) {
                throw new IllegalStateException("no mail labels for language " + lang, e);
            }
            return loaded;
        });
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no mail label '" + key + "' for language " + language);
        }
        return value;
    }

    private String load(String location) {
        Resource resource = resources.getResource(location);
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("mail template missing: " + location, e);
        }
    }
}
