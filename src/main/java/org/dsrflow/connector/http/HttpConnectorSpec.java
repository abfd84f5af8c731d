package org.dsrflow.connector.http;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonPointer;
import org.dsrflow.connector.Retention;

/**
 * A {@code type: http} connector file, read and checked, with the credentials it names already
 * taken from the environment. Paths are kept as templates: the subject's address is put in only
 * when a request is sent, so what is logged is always the template.
 */
record HttpConnectorSpec(String system, String title, String owner, URI baseUrl, Credentials credentials, Duration timeout,
                         RetrySpec retry, UrlTemplate checkPath, List<DatasetSpec> datasets) {

    /** How often a transient failure is tried, and how long between tries (doubling from firstWait, never above maxWait). */
    record RetrySpec(int attempts, Duration firstWait, Duration maxWait) {
    }

    enum OnErase { ANONYMIZE, DELETE, RETAIN }

    enum PaginationType { PAGE, CURSOR, NONE }

    /** {@code page}: count up from {@code first} until a page is empty; {@code cursor}: follow {@code next} until it is absent. */
    record Pagination(PaginationType type, int first, JsonPointer next) {
        static final Pagination NONE = new Pagination(PaginationType.NONE, 0, null);
    }

    /** The lookup that finds the subject's records: export and the proof after erasure both use it. */
    record LookupSpec(UrlTemplate path, JsonPointer records, Pagination pagination, int maxPages) {
    }

    /** The request that anonymizes or deletes the subject's records, and where its answer says how many. */
    record EraseSpec(String method, UrlTemplate path, Template body, JsonPointer count) {
    }

    record DatasetSpec(String name, String purpose, List<String> categories, OnErase onErase, Retention retention,
                       LookupSpec export, EraseSpec erase) {
    }
}
