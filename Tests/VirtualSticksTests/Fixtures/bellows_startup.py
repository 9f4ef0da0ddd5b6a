"""An independent EZSP host (bellows, the library behind Home Assistant's ZHA) against the
virtual EmberZNet NCP: ASH reset, version negotiation, identity, networkInit, security, network
formation and the formed network's parameters. Prints one `key value` line per step.

usage: python3 bellows_startup.py PTY_PATH
"""
import asyncio
import logging
import sys

import bellows.types as t
import zigpy.config as config
from bellows.ezsp import EZSP


async def main(path: str) -> None:
    ezsp = EZSP(config.SCHEMA_DEVICE({config.CONF_DEVICE_PATH: path, config.CONF_DEVICE_BAUDRATE: 115200}))
    await asyncio.wait_for(ezsp.connect(use_thread=False), 20)
    print("protocol", ezsp.ezsp_version, flush=True)
    print("eui64", (await ezsp.getEui64())[0])
    print("networkInit", (await ezsp.networkInit(networkInitBitmask=t.EmberNetworkInitBitmask.NETWORK_INIT_NO_OPTIONS))[0].name)
    security = t.EmberInitialSecurityState(
        bitmask=t.EmberInitialSecurityBitmask.HAVE_PRECONFIGURED_KEY | t.EmberInitialSecurityBitmask.HAVE_NETWORK_KEY,
        preconfiguredKey=t.KeyData.convert("5a:69:67:42:65:65:41:6c:6c:69:61:6e:63:65:30:39"),
        networkKey=t.KeyData.convert("01:03:05:07:09:0b:0d:0f:00:02:04:06:08:0a:0c:0d"),
        networkKeySequenceNumber=0,
        preconfiguredTrustCenterEui64=t.EUI64.convert("00:00:00:00:00:00:00:00"))
    print("security", (await ezsp.setInitialSecurityState(state=security))[0].name)
    params = t.EmberNetworkParameters(
        extendedPanId=t.EUI64.convert("dd:dd:dd:dd:dd:dd:dd:01"), panId=t.EmberPanId(0x1A62), radioTxPower=8, radioChannel=15,
        joinMethod=t.EmberJoinMethod.USE_MAC_ASSOCIATION, nwkManagerId=t.EmberNodeId(0), nwkUpdateId=0,
        channels=t.Channels.from_channel_list([15]))
    await asyncio.wait_for(ezsp.formNetwork(params), 10)
    print("state", (await ezsp.networkState())[0].name)
    status, node_type, formed = await ezsp.getNetworkParameters()
    print("nodeType", node_type.name)
    print("panId", f"0x{int(formed.panId):04X}")
    print("channel", formed.radioChannel)
    print("nodeId", f"0x{int((await ezsp.getNodeId())[0]):04X}")
    print("done", flush=True)
    await ezsp.disconnect()


logging.basicConfig(level=logging.WARNING)
asyncio.run(main(sys.argv[1]))
