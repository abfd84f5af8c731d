package org.dsrflow.connector.manual;

import java.util.Optional;

import org.dsrflow.verification.Secrets;

/** Signed links to a manual task's report page: the task id and a keyed hash of it, so no other id opens a page. */
final class ManualLinks {
    private final Secrets secrets;
    private final String publicUrl;

    ManualLinks(Secrets secrets, String publicUrl) {
        this.secrets = secrets;
        this.publicUrl = publicUrl;
    }

    String link(String taskId) {
        return publicUrl + "/manual/" + taskId + "." + secrets.hash("manual-task", taskId);
    }

    /** The task id a token was issued for, if its signature is ours. */
    Optional<String> taskId(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0 || token.length() > 300) {
            return Optional.empty();
        }
        String taskId = token.substring(0, dot);
        return Secrets.sameHash(secrets.hash("manual-task", taskId), token.substring(dot + 1)) ? Optional.of(taskId) : Optional.empty();
    }
}
