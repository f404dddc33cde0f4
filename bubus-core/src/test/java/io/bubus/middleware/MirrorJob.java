package io.bubus.middleware;

import io.bubus.BaseEvent;

/** The event of the SQLite mirror tests and of {@link SqliteMirrorWorker}. */
public class MirrorJob extends BaseEvent<String> {

	public boolean fail;

	public MirrorJob() {
	}

	public MirrorJob(boolean fail) {
		this.fail = fail;
	}

}
