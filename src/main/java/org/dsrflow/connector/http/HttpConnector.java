package org.dsrflow.connector.http;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorCheck;
import org.dsrflow.connector.ConnectorDescription;
import org.dsrflow.connector.ConnectorException;
import org.dsrflow.connector.ErasureReport;
import org.dsrflow.connector.ErasureReport.Outcome;
import org.dsrflow.connector.ErasureReport.TableErasure;
import org.dsrflow.connector.ExportSummary;
import org.dsrflow.connector.RecordSink;
import org.dsrflow.connector.Subject;
import org.dsrflow.connector.VerifyReport;
import org.dsrflow.connector.http.ApiCalls.Call;
import org.dsrflow.connector.http.HttpConnectorSpec.DatasetSpec;
import org.dsrflow.connector.http.HttpConnectorSpec.EraseSpec;
import org.dsrflow.connector.http.HttpConnectorSpec.LookupSpec;
import org.dsrflow.connector.http.HttpConnectorSpec.Pagination;
import org.dsrflow.connector.http.HttpConnectorSpec.PaginationType;

/**
 * A system reached through its REST API, as a connector file describes it: each dataset is a
 * lookup by the subject's address, followed page by page, and one request that anonymizes or
 * deletes what the lookup finds. Records go to the sink page by page, so an export never holds
 * more than one page.
 */
final class HttpConnector implements Connector {
    private static final TypeReference<LinkedHashMap<String, Object>> COLUMNS = new TypeReference<>() {
    };

    private final HttpConnectorSpec spec;
    private final ApiCalls api;
    private final ObjectMapper json = new ObjectMapper();

    HttpConnector(HttpConnectorSpec spec) {
        this.spec = spec;
        this.api = new ApiCalls(spec, Clock.systemUTC());
    }

    @Override
    public String system() {
        return spec.system();
    }

    @Override
    public ConnectorDescription describe() {
        return new ConnectorDescription(spec.system(), "http", spec.title(), spec.owner(), spec.datasets().stream()
                .map(d -> new ConnectorDescription.Dataset(d.name(), d.purpose(), d.categories(), d.onErase().name().toLowerCase(java.util.Locale.ROOT),
                        d.retention()))
                .toList());
    }

    @Override
    public ConnectorCheck check() {
        String request = "GET " + spec.checkPath();
        try {
            int status = api.probe(spec.checkPath());
            if (status / 100 == 2) {
                return new ConnectorCheck(system(), true, List.of());
            }
            String problem = status == 401 || status == 403 ? "credentials refused (" + request + " answered HTTP " + status + ")"
                    : request + " answered HTTP " + status;
            return new ConnectorCheck(system(), true, List.of(system() + ": " + problem));
        } catch (IOException e) {
            return unreachable(api.trouble(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable("check interrupted");
        } catch (RuntimeException e) {
            return unreachable(e.getClass().getSimpleName());
        }
    }

    private ConnectorCheck unreachable(String trouble) {
        return new ConnectorCheck(system(), false, List.of(system() + ": cannot reach " + spec.baseUrl() + ": " + trouble));
    }

    @Override
    public ExportSummary export(Subject subject, RecordSink sink) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DatasetSpec dataset : spec.datasets()) {
            sink.startTable(dataset.name(), dataset.purpose());
            long found = lookup(dataset, subject, "export", record -> sink.record(columns(record)));
            sink.endTable(dataset.name(), found);
            counts.put(dataset.name(), found);
        }
        return new ExportSummary(system(), counts);
    }

    /** Datasets are erased in the order the file lists them; each reports the count the API answers with. */
    @Override
    public ErasureReport erase(Subject subject) {
        List<TableErasure> results = new ArrayList<>();
        for (DatasetSpec dataset : spec.datasets()) {
            EraseSpec erase = dataset.erase();
            Call call = new Call("erase " + dataset.name(), erase.method(), erase.path(), Map.of(HttpSpecReader.EMAIL, subject.email()),
                    erase.body(), false);
            JsonNode answer = api.send(call).orElseThrow();
            results.add(new TableErasure(dataset.name(), outcome(dataset), count(answer, erase, call), dataset.retention()));
        }
        return new ErasureReport(system(), results);
    }

    @Override
    public VerifyReport verifyErased(Subject subject) {
        Map<String, Long> remaining = new LinkedHashMap<>();
        for (DatasetSpec dataset : spec.datasets()) {
            remaining.put(dataset.name(), lookup(dataset, subject, "verify", record -> {
            }));
        }
        return new VerifyReport(system(), remaining);
    }

    /** Asks for the subject's records page by page, handing each to {@code each}; returns how many there were. */
    private long lookup(DatasetSpec dataset, Subject subject, String operation, Consumer<JsonNode> each) {
        LookupSpec lookup = dataset.export();
        Pagination pagination = lookup.pagination();
        Map<String, String> values = new HashMap<>();
        values.put(HttpSpecReader.EMAIL, subject.email());
        int page = pagination.first();
        String cursor = null;
        long found = 0;
        for (int requests = 1; ; requests++) {
            values.put(HttpSpecReader.PAGE, Integer.toString(page));
            values.put(HttpSpecReader.CURSOR, cursor); // none yet: the parameter is left out
            Call call = new Call(operation + " " + dataset.name(), "GET", lookup.path(), values, null, true);
            Optional<JsonNode> answer = api.send(call);
            if (answer.isEmpty()) {
                return found;
            }
            JsonNode records = answer.get().at(lookup.records());
            if (!records.isArray()) {
                throw new ConnectorException(system(), call.described() + ": the answer has no list at '" + lookup.records()
                        + "'; does records in the connector file match the API?", false);
            }
            records.forEach(each);
            found += records.size();
            page++;
            if (pagination.type() == PaginationType.CURSOR) {
                cursor = nextCursor(answer.get(), pagination, cursor, call);
            }
            boolean more = switch (pagination.type()) {
                case NONE -> false;
                case PAGE -> !records.isEmpty();
                case CURSOR -> cursor != null;
            };
            if (!more) {
                return found;
            }
            if (requests >= lookup.maxPages()) {
                throw new ConnectorException(system(), call.described() + ": still more after " + requests
                        + " pages (max-pages); does the pagination in the connector file match the API?", false);
            }
        }
    }

    private String nextCursor(JsonNode answer, Pagination pagination, String current, Call call) {
        JsonNode next = answer.at(pagination.next());
        if (!next.isValueNode() || next.isNull() || next.asText().isBlank()) {
            return null;
        }
        if (next.asText().equals(current)) {
            throw new ConnectorException(system(), call.described() + ": the API gave the same cursor twice", false);
        }
        return next.asText();
    }

    private long count(JsonNode answer, EraseSpec erase, Call call) {
        JsonNode count = answer.at(erase.count());
        if (!count.isIntegralNumber() || !count.canConvertToLong() || count.asLong() < 0) {
            throw new ConnectorException(system(), call.described() + ": the answer has no count at '" + erase.count()
                    + "'; does count in the connector file match the API?", false);
        }
        return count.asLong();
    }

    /** A record as the sink takes it: an object's fields (nested values kept as maps and lists), anything else as {@code value}. */
    private Map<String, Object> columns(JsonNode record) {
        if (record.isObject()) {
            return json.convertValue(record, COLUMNS);
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("value", json.convertValue(record, Object.class));
        return wrapped;
    }

    private static Outcome outcome(DatasetSpec dataset) {
        return switch (dataset.onErase()) {
            case ANONYMIZE -> Outcome.ANONYMIZED;
            case DELETE -> Outcome.DELETED;
            case RETAIN -> Outcome.RETAINED;
        };
    }
}
