package org.dsrflow.security;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may sign in to the console ({@code dsrflow.security.*}). Users come from configuration with
 * hashed passwords ({@code {bcrypt}...}, made with {@code java -jar dsrflow.jar hash-password});
 * a {@code users-file} (YAML, same shape) replaces the inline list, so production keeps them out of
 * the application's own files. OIDC sign-in is added when a Spring OAuth2 client registration is
 * configured; {@code oidc.roles-claim} and {@code oidc.role-mapping} turn the provider's groups into roles.
 */
@ConfigurationProperties("dsrflow.security")
public record SecuritySettings(List<StaffUser> users, String usersFile, Oidc oidc, boolean demoUsersAllowed) {

    public SecuritySettings {
        users = users == null ? List.of() : List.copyOf(users);
        oidc = oidc == null ? new Oidc(null, Map.of()) : oidc;
    }

    /** One member of staff: a login name, a password hash with its {@code {id}} prefix, one or more roles. */
    public record StaffUser(String name, String passwordHash, List<String> roles) {
    }

    /** Which claim of the provider's ID token holds the groups, and which group gives which role. */
    public record Oidc(String rolesClaim, Map<String, String> roleMapping) {
        public Oidc {
            rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "groups" : rolesClaim;
            roleMapping = roleMapping == null ? Map.of() : Map.copyOf(roleMapping);
        }
    }
}
