package org.dsrflow.security;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * The demo's secrets are public (they are in config/application.yml and the README), so they are
 * refused anywhere but the demo. Every real deployment runs with the {@code production} profile
 * (which also switches the embedded servers off); with it, any setting whose value starts with
 * {@code demo-only}, or demo users being allowed, stops the start with the names of the settings
 * to replace (never their values).
 */
@Component
public class DemoSecrets {
    static final String MARK = "demo-only";

    DemoSecrets(Environment environment) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Demo secrets outside the demo: set " + String.join(", ", problems)
                    + " from the environment (see README, Running in production)");
        }
    }

    /** What must change before this environment may start; empty in the demo. */
    static List<String> problems(Environment environment) {
        if (!environment.acceptsProfiles(org.springframework.core.env.Profiles.of("production"))) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        String value = safeValue(environment, name);
                        if (value != null && value.trim().startsWith(MARK)) {
                            names.add(name);
                        }
                    }
                }
            }
        }
        List<String> out = new ArrayList<>(names);
        if (environment.getProperty("dsrflow.security.demo-users-allowed", Boolean.class, false)) {
            out.add("dsrflow.security.demo-users-allowed=false (and real console users)");
        }
        return out;
    }

    private static String safeValue(Environment environment, String name) {
        try {
            return environment.getProperty(name);
        } catch (RuntimeException e) {
            // a placeholder without a value: not a demo secret, and the setting's own binding says what is missing
            return null;
        }
    }
}
