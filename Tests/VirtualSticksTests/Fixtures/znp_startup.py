"""An independent Z-Stack host (zigpy-znp, used by Home Assistant's ZHA) against the virtual
coordinator: its connect sequence (ping, version, struct alignment probe) and a device-info
query. Prints one `key value` line per step.

usage: python3 znp_startup.py PTY_PATH
"""
import asyncio
import logging
import sys

import zigpy_znp.commands as c
from zigpy_znp.api import ZNP
from zigpy_znp.config import CONFIG_SCHEMA


async def main(path: str) -> None:
    znp = ZNP(CONFIG_SCHEMA({"device": {"path": path}}))
    await asyncio.wait_for(znp.connect(), 20)
    print("version", znp.version, flush=True)
    print("aligned", znp.nvram.align_structs)
    info = await znp.request(c.UTIL.GetDeviceInfo.Req())
    print("status", info.Status.name)
    print("nwk", f"0x{int(info.NWK):04X}")
    print("done", flush=True)
    znp.close()


logging.basicConfig(level=logging.WARNING)
asyncio.run(main(sys.argv[1]))
