package org.dsrflow.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.dsrflow.demo.NotificationsService;
import org.dsrflow.remote.client.DatasetErasure;
import org.dsrflow.remote.client.PersonalDataHandler;
import org.dsrflow.remote.conformance.ConformanceKit;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit a backend team runs against its own service, run here against the demo's
 * remote system — and against a service with a classic mistake, to show the kit catches it.
 */
class ConformanceKitTests {

    @Test
    void theDemoRemoteSystemIsConformant() throws Exception {
        try (RemoteStack stack = new RemoteStack(null);
             ConformanceKit kit = new ConformanceKit(stack.broker.getBrokersAsString(), "notifications", Duration.ofSeconds(20))) {
            ConformanceKit.Report report = kit.run("wang.fang@example.cn");
            assertThat(report.checks()).hasSizeGreaterThanOrEqualTo(12).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
            assertThat(report.passed()).isTrue();
        }
    }

    @Test
    void aServiceWhoseErasureForgetsADatasetFailsTheKit() throws Exception {
        try (RemoteStack stack = new RemoteStack(null)) {
            PersonalDataHandler real = new NotificationsService(stack.notifications);
            PersonalDataHandler forgetful = new PersonalDataHandler() {
                @Override
                public void export(Map<String, String> subject, ExportWriter out) throws Exception {
                    real.export(subject, out);
                }

                @Override
                public List<DatasetErasure> erase(Map<String, String> subject) {
                    return List.of(DatasetErasure.deleted("subscriptions", 0)); // claims success, touches nothing
                }

                @Override
                public Map<String, Long> remaining(Map<String, String> subject) throws Exception {
                    return real.remaining(subject);
                }
            };
            stack.worker.close();
            try (var worker = new org.dsrflow.remote.client.TaskWorker(stack.broker.getBrokersAsString(), "notifications", forgetful);
                 ConformanceKit kit = new ConformanceKit(stack.broker.getBrokersAsString(), "notifications", Duration.ofSeconds(20))) {
                worker.start();
                ConformanceKit.Report report = kit.run("wang.fang@example.cn");
                assertThat(report.passed()).isFalse();
                assertThat(report.checks()).filteredOn(c -> !c.passed()).extracting(ConformanceKit.Check::name)
                        .contains("erase answers done or retained, per dataset, with nothing findable afterwards",
                                "verify-erased after erasure finds nothing");
            }
        }
    }
}
