package io.bubus.middleware;

import io.bubus.BaseEvent;

/** The event of the WAL tests and of {@link WalCrashWorker}. */
public class WalJob extends BaseEvent<String> {

	public int index;

	public WalJob() {
	}

	public WalJob(int index) {
		this.index = index;
	}

}
