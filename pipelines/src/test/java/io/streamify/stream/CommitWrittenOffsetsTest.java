package io.streamify.stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The offset bookkeeping behind committing only what is written: ranges, merged. */
class CommitWrittenOffsetsTest {
  @Test
  void offsetsBecomeSortedMergedRanges() {
    assertThat(
        CommitWrittenOffsets.ranges(List.of(7L, 3L, 4L, 5L, 9L, 4L, 10L)),
        equalTo(List.of(3L, 6L, 7L, 8L, 9L, 11L)));
    assertThat(CommitWrittenOffsets.ranges(List.of()), equalTo(List.of()));
  }

  @Test
  void rangesMergeWhenTheyTouchOrOverlap() {
    assertThat(
        CommitWrittenOffsets.merge(List.of(0L, 5L, 10L, 12L), List.of(5L, 7L, 11L, 20L)),
        equalTo(List.of(0L, 7L, 10L, 20L)));
    assertThat(CommitWrittenOffsets.merge(List.of(), List.of(3L, 4L)), equalTo(List.of(3L, 4L)));
  }

  @Test
  void theKeyNamesTopicAndPartitionEvenWithBarsInTheTopic() {
    assertThat(CommitWrittenOffsets.partition("a|b|7").toString(), equalTo("a|b-7"));
  }
}
