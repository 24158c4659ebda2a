package io.bslassist.edt.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A tiny test runner: named cases, assertions that throw, a summary and an exit code. */
final class Check {
    interface Case {
        void run() throws Exception;
    }

    static final class Failure extends AssertionError {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private final List<String> failed = new ArrayList<>();
    private int passed;

    void test(String name, Case body) {
        long start = System.nanoTime();
        try {
            body.run();
            passed++;
            System.out.printf("ok   %s (%d ms)%n", name, (System.nanoTime() - start) / 1_000_000);
        } catch (Throwable e) {
            failed.add(name);
            System.out.printf("FAIL %s: %s%n", name, e);
            if (!(e instanceof Failure)) {
                e.printStackTrace(System.out);
            }
        }
    }

    /** Prints the totals; true when everything passed. */
    boolean summary() {
        System.out.printf("%d passed, %d failed%s%n", passed, failed.size(),
                failed.isEmpty() ? "" : ": " + String.join(", ", failed));
        return failed.isEmpty();
    }

    static void equal(Object expected, Object actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new Failure(what + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    static void that(boolean condition, String what) {
        if (!condition) {
            throw new Failure(what);
        }
    }

    static void fails(Class<? extends Throwable> type, Case body, String what) {
        try {
            body.run();
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                return;
            }
            throw new Failure(what + ": expected " + type.getSimpleName() + " but got " + e);
        }
        throw new Failure(what + ": expected " + type.getSimpleName() + ", nothing was thrown");
    }
}
