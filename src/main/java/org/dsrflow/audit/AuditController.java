package org.dsrflow.audit;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lets an operator (or a regulator's auditor) check that the audit history is untampered. */
@RestController
class AuditController {
    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit/verify")
    ChainVerification verify() {
        return audit.verify();
    }
}
