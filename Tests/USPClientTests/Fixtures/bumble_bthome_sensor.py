"""An independent Bluetooth controller for the end-to-end test: Google's Bumble.

Two Bumble controllers share a virtual radio (bumble.link.LocalLink). The first is exposed on
a pseudo-terminal (H4), for usp-bridge's HCI host to open like a UART dongle. The second
belongs to a Bumble Device that advertises BTHome v2 service data (temperature 0x02,
humidity 0x03, battery 0x01) from a random static address, changing the temperature and the
packet id every second. None of our code is involved on this side.

usage: python3 bumble_bthome_sensor.py PTY_LINK_PATH
It prints "ready" once the pseudo-terminal exists, then runs until killed.
"""
import asyncio
import struct
import sys

from bumble.controller import Controller
from bumble.core import AdvertisingData
from bumble.device import Device
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport import open_transport

SENSOR_ADDRESS = "F4:BB:0A:11:22:33"  # random static: the two top bits are 1


def bthome_advertisement(packet_id: int, temperature_centi: int) -> bytes:
    # BTHome v2 service data: UUID 0xFCD2 (little endian), device info 0x40 (v2, unencrypted),
    # then objects in ascending id order: 0x00 packet id, 0x01 battery %, 0x02 temperature
    # (sint16, 0.01 degC), 0x03 humidity (uint16, 0.01 %).
    payload = bytes([0xD2, 0xFC, 0x40, 0x00, packet_id & 0xFF, 0x01, 77, 0x02])
    payload += struct.pack("<h", temperature_centi) + bytes([0x03]) + struct.pack("<H", 5120)
    return bytes(AdvertisingData([
        (AdvertisingData.FLAGS, bytes([0x06])),
        (AdvertisingData.COMPLETE_LOCAL_NAME, b"Bumble BTHome"),
        (AdvertisingData.SERVICE_DATA_16_BIT_UUID, payload),
    ]))


async def main(link_path: str) -> None:
    link = LocalLink()
    async with await open_transport(f"pty:{link_path}") as hci_transport:
        Controller("bridge-side", host_source=hci_transport.source, host_sink=hci_transport.sink, link=link)
        sensor_controller = Controller("sensor", link=link)
        sensor = Device(name="Bumble BTHome", address=Address(SENSOR_ADDRESS),
                        host=Host(controller_source=sensor_controller, controller_sink=sensor_controller))
        await sensor.power_on()
        print("ready", flush=True)
        packet_id = 0
        while True:
            temperature = 2000 + (packet_id % 10) * 25  # 20.00 .. 22.25 degC
            await sensor.stop_advertising()
            await sensor.start_advertising(advertising_data=bthome_advertisement(packet_id, temperature),
                                           advertising_interval_min=100, advertising_interval_max=100)
            packet_id += 1
            await asyncio.sleep(1.0)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
