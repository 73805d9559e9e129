package io.streamify.kafka;

/**
 * The broker child JVM's main: runs {@code kafka.Kafka} and shuts it down (cleanly, through its
 * shutdown hook) when the JVM that started it exits, even when that one was killed and could not
 * stop it: a local broker never outlives its owner.
 */
public final class BrokerUntilParentExits {
  private BrokerUntilParentExits() {}

  public static void main(String[] args) throws Exception {
    ProcessHandle.current()
        .parent()
        .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    // kafka.Kafka is on the child's classpath only, not on this module's compile path.
    Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
  }
}
