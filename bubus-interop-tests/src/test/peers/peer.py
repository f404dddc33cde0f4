"""A Python bubus peer for the interop tests, driven by one JSON argument.

roles:
  receive     listen with the bridge of config.kind, print {"ready": true}, then {"received": <event JSON>} for each
              event (config.expect of them), then {"done": true}
  send        a bus named config.bus forwarding every event to the bridge; emit InteropParentEvent with
              config.payload, whose handler emits and awaits InteropChildEvent; print {"sent": [parent, child]}
  read-event  read config.json with BaseEvent.model_validate; print {"read": <event JSON>, "results": [rows]}
  read-bus    read config.json with EventBus.validate; print {"events": [{"event": ..., "results": [rows]}]}
  write-bus   an event handled by a handler returning a value and one raising; print {"bus": <EventBus JSON>}

Every wait is bounded by config.timeout_seconds; a failure prints {"error": "..."} and exits 2.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
from typing import Any

from bubus import BaseEvent, EventBus, HTTPEventBridge, SocketEventBridge


class InteropParentEvent(BaseEvent[Any]):
    pass


class InteropChildEvent(BaseEvent[Any]):
    pass


class InteropResultEvent(BaseEvent[Any]):
    pass


def out(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + '\n')
    sys.stdout.flush()


def make_bridge(config: dict[str, Any], *, listen: bool) -> Any:
    kind = config['kind']
    if kind == 'http':
        if listen:
            return HTTPEventBridge(listen_on=config['endpoint'])
        return HTTPEventBridge(send_to=config['endpoint'])
    if kind == 'socket':
        return SocketEventBridge(path=config['path'])
    if kind == 'jsonl':
        from bubus.bridge_jsonl import JSONLEventBridge

        return JSONLEventBridge(config['path'], poll_interval=0.05)
    if kind == 'sqlite':
        from bubus.bridge_sqlite import SQLiteEventBridge

        return SQLiteEventBridge(config['path'], config['table'], poll_interval=0.05)
    if kind == 'postgres':
        from bubus.bridge_postgres import PostgresEventBridge

        return PostgresEventBridge(config['url'], config['channel'])
    if kind == 'redis':
        from bubus.bridge_redis import RedisEventBridge

        return RedisEventBridge(config['url'], config['channel'])
    if kind == 'nats':
        from bubus.bridge_nats import NATSEventBridge

        return NATSEventBridge(config['server'], config['subject'])
    raise ValueError(f'unknown bridge kind {kind}')


def result_rows(event: BaseEvent[Any]) -> list[dict[str, Any]]:
    rows = []
    for row in event.event_results.values():
        error = row.error
        rows.append(
            {
                'handler_name': row.handler_name,
                'status': str(row.status.value if hasattr(row.status, 'value') else row.status),
                'result': row.result if not isinstance(row.result, BaseEvent) else row.result.event_id,
                'error_type': type(error).__name__ if error is not None else None,
                'error_message': str(error) if error is not None else None,
            }
        )
    return rows


async def receive(config: dict[str, Any]) -> None:
    bridge = make_bridge(config, listen=True)
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def on_event(event: BaseEvent[Any]) -> None:
        await queue.put(event.model_dump(mode='json'))

    # one handler: each handler on a bridge's inbound bus sees every event
    bridge.on('*', on_event)
    await bridge.start()
    if config['kind'] == 'nats':
        # the subscription is live on the server once a flush returns
        await bridge._nc.flush()
    out({'ready': True})
    try:
        for _ in range(int(config['expect'])):
            event = await asyncio.wait_for(queue.get(), timeout=config['timeout_seconds'])
            out({'received': event})
        # whatever else arrives within a short grace period is reported (an event received twice)
        extra = []
        try:
            while True:
                extra.append(await asyncio.wait_for(queue.get(), timeout=config.get('grace_seconds', 0.5)))
        except TimeoutError:
            pass
    finally:
        await asyncio.wait_for(bridge.close(), timeout=config['timeout_seconds'])
    out({'done': True, 'extra': extra})


async def send(config: dict[str, Any]) -> None:
    bridge = make_bridge(config, listen=False)
    bus = EventBus(name=config['bus'])
    child_payload = config['child_payload']

    async def on_parent(event: InteropParentEvent) -> str:
        child = await bus.emit(InteropChildEvent(**child_payload))
        return child.event_id

    # the forwarder first, so each event is sent before its handlers run (parent before child)
    bus.on('*', bridge.emit)
    bus.on(InteropParentEvent, on_parent)
    # no bridge.start(): a socket bridge would listen on the path it sends to, taking it from the receiver
    parent = bus.emit(InteropParentEvent(**config['payload']))
    await asyncio.wait_for(parent.event_completed(), timeout=config['timeout_seconds'])
    children = [e for e in bus.event_history.values() if e.event_parent_id == parent.event_id]
    # a handler's exception (a failed send) is kept in its result row: report it
    for event in [parent, *children]:
        for row in event.event_results.values():
            if row.error is not None:
                raise RuntimeError(f'handler {row.handler_name} failed on {event.event_type}: {row.error!r}')
    out({'sent': [parent.model_dump(mode='json')] + [c.model_dump(mode='json') for c in children]})
    await asyncio.wait_for(bus.stop(clear=True), timeout=config['timeout_seconds'])
    await asyncio.wait_for(bridge.close(), timeout=config['timeout_seconds'])


async def read_event(config: dict[str, Any]) -> None:
    event = BaseEvent[Any].model_validate(json.loads(config['json']))
    out({'read': event.model_dump(mode='json'), 'results': result_rows(event)})


async def read_bus(config: dict[str, Any]) -> None:
    bus = EventBus.validate(config['json'])
    events = [{'event': e.model_dump(mode='json'), 'results': result_rows(e)} for e in bus.event_history.values()]
    out({'events': events})


async def write_bus(config: dict[str, Any]) -> None:
    bus = EventBus(name=config['bus'])

    def answer(event: InteropResultEvent) -> Any:
        return config['result']

    def fail(event: InteropResultEvent) -> Any:
        raise ValueError(config['error_message'])

    bus.on(InteropResultEvent, answer)
    bus.on(InteropResultEvent, fail)
    event = bus.emit(InteropResultEvent(**config['payload']))
    await asyncio.wait_for(event.event_completed(), timeout=config['timeout_seconds'])
    out({'event': event.model_dump(mode='json'), 'bus': json.loads(bus.model_dump_json())})


ROLES = {'receive': receive, 'send': send, 'read-event': read_event, 'read-bus': read_bus, 'write-bus': write_bus}


async def main() -> None:
    config = json.loads(sys.argv[1])
    try:
        await asyncio.wait_for(ROLES[config['role']](config), timeout=config['timeout_seconds'] * 3)
    except BaseException:
        out({'error': traceback.format_exc()})
        sys.exit(2)


if __name__ == '__main__':
    asyncio.run(main())
