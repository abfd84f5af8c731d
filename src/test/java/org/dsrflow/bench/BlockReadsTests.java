package org.dsrflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The line that tells how much a measured round made PostgreSQL read from outside its buffers, and
 * the advice when the demo data does not fit in them for {@code --prewarm}.
 */
class BlockReadsTests {

    @Test
    void namesTheDatabasesThatReadLargestFirstInTheServersBlockSize() {
        Map<String, long[]> before = Map.of("", new long[] {8192, 0}, "logs", new long[] {1_000, 50_000}, "billing", new long[] {10, 900},
                "dsrflow", new long[] {7, 70_000});
        Map<String, long[]> after = Map.of("", new long[] {8192, 0}, "logs", new long[] {11_000, 140_000}, "billing", new long[] {110, 9_900},
                "dsrflow", new long[] {7, 90_000}, "crm", new long[] {5, 5});
        // logs: 10,000 blocks of 8 KiB read, 90,000 found; billing 100 and 9,000; the case store read nothing; crm
        // was not there at the first count, so it has no difference to show
        assertThat(PipelineBench.blockReads(before, after)).isEqualTo("logs 81.9 MB (10 % of its blocks), billing 0.8 MB (1 % of its blocks)");
    }

    @Test
    void usesTheBlockSizeTheServerReports() {
        Map<String, long[]> before = Map.of("", new long[] {32768, 0}, "logs", new long[] {0, 0});
        Map<String, long[]> after = Map.of("", new long[] {32768, 0}, "logs", new long[] {1_000, 3_000});
        assertThat(PipelineBench.blockReads(before, after)).isEqualTo("logs 32.8 MB (25 % of its blocks)");
    }

    @Test
    void saysNothingWasReadOrThatItCouldNotCount() {
        Map<String, long[]> counts = Map.of("", new long[] {8192, 0}, "logs", new long[] {5, 5});
        assertThat(PipelineBench.blockReads(counts, counts)).isEqualTo("nothing");
        assertThat(PipelineBench.blockReads(null, counts)).isNull();
        assertThat(PipelineBench.blockReads(counts, null)).isNull();
    }

    @Test
    void prewarmAdvisesSharedBuffersAQuarterLargerThanTheDataWhenItDoesNotFitWithRoomToSpare() {
        assertThat(PipelineBench.prewarmAdvice(4_000L << 20, 8_192L << 20)).isNull();
        assertThat(PipelineBench.prewarmAdvice(100L << 20, 128L << 20)).isNull();
        // the data fits, but without a quarter to spare
        assertThat(PipelineBench.prewarmAdvice(120L << 20, 128L << 20)).contains("shared_buffers=151MB or more");
        assertThat(PipelineBench.prewarmAdvice(4_000L << 20, 128L << 20))
                .isEqualTo("the data does not fit in the shared buffers with room to spare: part of it will not stay (start the demo with "
                        + "--dsrflow.embedded.postgres.server-config.shared_buffers=5001MB or more, BENCHMARKS.md)");
    }
}
