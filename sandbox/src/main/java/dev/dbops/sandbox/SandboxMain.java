package dev.dbops.sandbox;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the AWS sandbox (a test double, not AWS) for manual use:
 * {@code java -cp … dev.dbops.sandbox.SandboxMain [port] [dayLength ISO-8601, e.g. PT1M]}.
 * Stops on Ctrl-C.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxConfig config = SandboxConfig.defaults().withPort(args.length > 0 ? Integer.parseInt(args[0]) : 4599);
        if (args.length > 1) {
            config = config.withDayLength(Duration.parse(args[1]));
        }
        AwsSandbox sandbox = AwsSandbox.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "aws-sandbox-shutdown"));
        // The banner goes to stdout: this is a command-line entry point, and slf4j may have no binding here.
        System.out.println(AwsSandbox.SERVER_NAME + " on " + sandbox.endpoint()
                + " — S3 path-style, RDS and STS (Query), Route53 (REST-XML), any credentials; admin API: "
                + sandbox.endpoint() + "/_sandbox/");
        System.out.println("admin token: " + sandbox.adminToken() + " (send it as " + AwsSandbox.ADMIN_TOKEN_HEADER
                + " on every /_sandbox/ request)");
        stopped.await();
    }
}
