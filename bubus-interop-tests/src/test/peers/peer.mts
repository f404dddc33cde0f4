// A bubus-ts peer for the interop tests, driven by one JSON argument; the same roles as peer.py:
//   receive     listen with the bridge of config.kind, print {"ready": true}, then {"received": <event JSON>} for
//               each event (config.expect of them), then {"done": true}
//   send        a bus named config.bus forwarding every event to the bridge; emit InteropParentEvent with
//               config.payload, whose handler emits and awaits InteropChildEvent; print {"sent": [parent, child]}
//   read-event  read config.json with BaseEvent.fromJSON; print {"read": <event JSON>, "results": [rows]}
//   write-event an event handled by a handler returning a value and one throwing; print {"event": <event JSON>,
//               "bus": <EventBus JSON>}
//   read-bus    read config.json with EventBus.fromJSON; print {"events": [{"event": ..., "results": [rows]}]}
// Every wait is bounded by config.timeout_seconds; a failure prints {"error": "..."} and exits 2.
// BUBUS_TS_SRC names bubus-ts's src directory (run with `node --import tsx peer.mts`).

const src = process.env.BUBUS_TS_SRC
if (!src) throw new Error('BUBUS_TS_SRC is not set')
const bubus: any = await import(`${src}/index.ts`)
const { BaseEvent, EventBus } = bubus

type Config = Record<string, any>

const out = (message: unknown): void => {
  process.stdout.write(JSON.stringify(message) + '\n')
}

const bounded = <T>(promise: Promise<T>, seconds: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds}s`)), seconds * 1000)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      }
    )
  })

const makeBridge = (config: Config, listen: boolean): any => {
  switch (config.kind) {
    case 'http':
      return listen ? new bubus.HTTPEventBridge({ listen_on: config.endpoint }) : new bubus.HTTPEventBridge({ send_to: config.endpoint })
    case 'socket':
      return new bubus.SocketEventBridge(config.path)
    case 'jsonl':
      return new bubus.JSONLEventBridge(config.path, 0.05)
    case 'sqlite':
      return new bubus.SQLiteEventBridge(config.path, config.table, 0.05)
    case 'postgres':
      return new bubus.PostgresEventBridge(config.url, config.channel)
    case 'redis':
      return new bubus.RedisEventBridge(config.url, config.channel)
    case 'nats':
      return new bubus.NATSEventBridge(config.server, config.subject)
    default:
      throw new Error(`unknown bridge kind ${config.kind}`)
  }
}

const errorText = (error: unknown): { type: string | null; message: string | null } => {
  if (error === undefined || error === null) return { type: null, message: null }
  if (error instanceof Error) return { type: error.name, message: error.message }
  if (typeof error === 'object') {
    const record = error as Record<string, unknown>
    return { type: typeof record.type === 'string' ? record.type : null, message: typeof record.message === 'string' ? record.message : null }
  }
  return { type: null, message: String(error) }
}

const resultRows = (event: any): unknown[] =>
  Array.from(event.event_results.values()).map((row: any) => {
    const error = errorText(row.error)
    return {
      handler_name: row.handler_name,
      status: row.status,
      result: row.result ?? null,
      error_type: error.type,
      error_message: error.message,
    }
  })

const receive = async (config: Config): Promise<void> => {
  const bridge = makeBridge(config, true)
  const received: unknown[] = []
  let wake: (() => void) | null = null
  // start() first and on() once: bubus-ts's start() is not idempotent while it runs, and on() starts the
  // bridge too, so on() before start() would subscribe twice and receive every event twice
  await bridge.start()
  if (config.kind === 'nats') {
    // the subscription is live on the server once a flush returns
    await bridge.nc.flush()
  }
  bridge.on('*', (event: any) => {
    received.push(event.toJSON())
    wake?.()
  })
  out({ ready: true })
  try {
    for (let count = 0; count < Number(config.expect); count++) {
      while (received.length === 0) {
        await bounded(new Promise<void>((resolve) => (wake = resolve)), config.timeout_seconds, 'waiting for an event')
      }
      out({ received: received.shift() })
    }
    // whatever else arrives within a short grace period is reported (an event received twice)
    const grace_seconds = config.grace_seconds ?? 0.5
    await new Promise((resolve) => setTimeout(resolve, grace_seconds * 1000))
  } finally {
    await bounded(bridge.close(), config.timeout_seconds, 'closing the bridge')
  }
  out({ done: true, extra: received })
}

const InteropParentEvent = BaseEvent.extend('InteropParentEvent', {})
const InteropChildEvent = BaseEvent.extend('InteropChildEvent', {})
const InteropResultEvent = BaseEvent.extend('InteropResultEvent', {})

const send = async (config: Config): Promise<void> => {
  const bridge = makeBridge(config, false)
  const bus = new EventBus(config.bus)
  let child: any = null
  // the forwarder first, so each event is sent before its handlers run (parent before child)
  bus.on('*', (event: any) => bridge.emit(event))
  bus.on(InteropParentEvent, async (event: any) => {
    child = event.bus.emit(InteropChildEvent(config.child_payload))
    await child.done()
    return child.event_id
  })
  // bubus-ts's emit() starts the bridge without waiting, and two emits in a row start it twice (two JSONL poll
  // loops, one of which close() never stops); starting it first avoids that. Not for a socket bridge: it would
  // listen on the path it sends to, taking it from the receiver.
  if (config.kind !== 'socket') {
    await bounded(bridge.start(), config.timeout_seconds, 'starting the bridge')
  }
  const parent = bus.emit(InteropParentEvent(config.payload))
  await bounded(parent.done(), config.timeout_seconds, 'the parent event')
  // a handler's exception (a failed send) is kept in its result row: report it
  for (const event of [parent, child]) {
    for (const row of event.event_results.values()) {
      if (row.error !== undefined && row.error !== null) {
        throw new Error(`handler ${row.handler_name} failed on ${event.event_type}: ${String(row.error)}`)
      }
    }
  }
  out({ sent: [parent.toJSON(), child.toJSON()] })
  bus.destroy()
  await bounded(bridge.close(), config.timeout_seconds, 'closing the bridge')
}

const readEvent = async (config: Config): Promise<void> => {
  const event = BaseEvent.fromJSON(JSON.parse(config.json))
  out({ read: event.toJSON(), results: resultRows(event) })
}

const writeEvent = async (config: Config): Promise<void> => {
  const bus = new EventBus(config.bus)
  bus.on(InteropResultEvent, function answer() {
    return config.result
  })
  bus.on(InteropResultEvent, function fail() {
    throw new TypeError(config.error_message)
  })
  const event = bus.emit(InteropResultEvent(config.payload))
  // done() rejects with the handler's error; eventCompleted() waits for both handlers
  await bounded(event.eventCompleted(), config.timeout_seconds, 'the event')
  out({ event: event.toJSON(), bus: bus.toJSON() })
  bus.destroy()
}

const readBus = async (config: Config): Promise<void> => {
  const bus = EventBus.fromJSON(JSON.parse(config.json))
  const events = Array.from(bus.event_history.values()).map((event: any) => ({ event: event.toJSON(), results: resultRows(event) }))
  out({ events })
  bus.destroy()
}

const roles: Record<string, (config: Config) => Promise<void>> = {
  receive,
  send,
  'read-event': readEvent,
  'write-event': writeEvent,
  'read-bus': readBus,
}

const config = JSON.parse(process.argv[2]) as Config
try {
  await bounded(roles[config.role](config), config.timeout_seconds * 3, config.role)
  process.exit(0)
} catch (error) {
  out({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  process.exit(2)
}
