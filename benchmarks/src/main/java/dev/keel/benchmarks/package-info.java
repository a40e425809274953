/** JMH benchmarks of Keel's training loop: one step through Keel, the same step on raw DJL, and its parts. */
package dev.keel.benchmarks;
