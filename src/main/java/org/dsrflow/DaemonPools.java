package org.dsrflow;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixed pools of daemon threads named {@code <prefix>-1}, {@code <prefix>-2}, … (so thread dumps say whose they are). */
public final class DaemonPools {
    private DaemonPools() {
    }

    public static ExecutorService fixed(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
