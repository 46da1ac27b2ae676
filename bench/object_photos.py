"""Single objects on plain backgrounds, as a phone or a shop would photograph them: the
pictures "not sure" must learn to refuse (an apple on a table, a cup, a toy, a road sign).

The objects are the Noto Color Emoji pictures (Debian's fonts-noto-color-emoji; images under
the Apache License 2.0), drawn large, slightly turned, on a plain or gently lit backdrop (white,
paper, grey, wood, pastel) with a soft shadow, saved as JPEG. Garments, shoes, hats and bags
are left out: they have a Fashion-MNIST answer or none of ours should refuse them.

    object_photo(char, seed) -> (H, W, 3) uint8
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
EMOJI_SIZE = 109                    # the bitmap size the font is drawn at

# name -> emoji: fruit and vegetables, food, kitchen, tools, electronics, signs, toys, sports,
# plants, animals, household things (no clothing, shoes, hats or bags)
OBJECTS = {
    "apple": "🍎", "green-apple": "🍏", "pear": "🍐", "orange": "🍊", "lemon": "🍋", "banana": "🍌",
    "watermelon": "🍉", "grapes": "🍇", "strawberry": "🍓", "melon": "🍈", "cherries": "🍒", "peach": "🍑",
    "mango": "🥭", "pineapple": "🍍", "coconut": "🥥", "kiwi": "🥝", "tomato": "🍅", "aubergine": "🍆",
    "avocado": "🥑", "broccoli": "🥦", "lettuce": "🥬", "cucumber": "🥒", "pepper": "🌶", "corn": "🌽",
    "carrot": "🥕", "garlic": "🧄", "onion": "🧅", "potato": "🥔", "mushroom": "🍄", "peanuts": "🥜",
    "bread": "🍞", "croissant": "🥐", "baguette": "🥖", "pretzel": "🥨", "cheese": "🧀", "egg": "🥚",
    "pizza": "🍕", "burger": "🍔", "hot-dog": "🌭", "taco": "🌮", "cake": "🍰", "cupcake": "🧁",
    "doughnut": "🍩", "cookie": "🍪", "chocolate": "🍫", "lollipop": "🍭", "ice-cream": "🍦",
    "coffee": "☕", "teapot": "🫖", "tea": "🍵", "cup": "🥤", "bottle": "🍾", "wine-glass": "🍷",
    "beer": "🍺", "milk": "🥛", "jar": "🫙", "fork-knife": "🍴", "spoon": "🥄", "knife": "🔪",
    "bowl": "🥣", "pan": "🍳", "plate": "🍽", "kettle": "🫖",
    "hammer": "🔨", "wrench": "🔧", "screwdriver": "🪛", "saw": "🪚", "axe": "🪓", "pick": "⛏",
    "nut-bolt": "🔩", "gear": "⚙", "scissors": "✂", "ruler": "📏", "triangle-ruler": "📐", "pushpin": "📌",
    "paperclip": "📎", "pencil": "✏", "pen": "🖊", "crayon": "🖍", "paintbrush": "🖌", "magnet": "🧲",
    "toolbox": "🧰", "ladder": "🪜", "key": "🔑", "old-key": "🗝", "lock": "🔒", "bucket": "🪣",
    "phone": "📱", "telephone": "☎", "laptop": "💻", "keyboard": "⌨", "mouse": "🖱", "printer": "🖨",
    "camera": "📷", "video-camera": "📹", "tv": "📺", "radio": "📻", "watch": "⌚", "alarm-clock": "⏰",
    "hourglass": "⌛", "battery": "🔋", "plug": "🔌", "bulb": "💡", "torch": "🔦", "candle": "🕯",
    "joystick": "🕹", "cd": "💿", "floppy": "💾", "microphone": "🎤", "headphones": "🎧", "guitar": "🎸",
    "violin": "🎻", "trumpet": "🎺", "drum": "🥁", "piano": "🎹", "saxophone": "🎷",
    "stop-sign": "🛑", "no-entry": "⛔", "construction": "🚧", "children-crossing": "🚸", "warning": "⚠",
    "traffic-light": "🚦", "fuel-pump": "⛽", "no-bicycles": "🚳", "prohibited": "🚫", "parking": "🅿",
    "teddy-bear": "🧸", "yo-yo": "🪀", "kite": "🪁", "puzzle": "🧩", "die": "🎲", "balloon": "🎈",
    "gift": "🎁", "robot": "🤖", "nesting-dolls": "🪆", "rubber-duck": "🦆", "top": "🪅",
    "football": "⚽", "basketball": "🏀", "baseball": "⚾", "tennis": "🎾", "volleyball": "🏐",
    "rugby": "🏉", "bowling": "🎳", "ping-pong": "🏓", "badminton": "🏸", "boxing-glove": "🥊",
    "skateboard": "🛹", "trophy": "🏆", "medal": "🏅", "dart": "🎯",
    "potted-plant": "🪴", "cactus": "🌵", "tulip": "🌷", "rose": "🌹", "sunflower": "🌻", "bouquet": "💐",
    "leaf": "🍁", "clover": "🍀", "tree": "🌳", "palm": "🌴", "shell": "🐚", "rock": "🪨", "wood": "🪵",
    "cat": "🐈", "dog": "🐕", "rabbit": "🐇", "mouse-animal": "🐁", "hamster": "🐹", "turtle": "🐢",
    "fish": "🐟", "tropical-fish": "🐠", "octopus": "🐙", "crab": "🦀", "snail": "🐌", "butterfly": "🦋",
    "ladybird": "🐞", "bird": "🐦", "parrot": "🦜", "chick": "🐤", "penguin": "🐧", "frog": "🐸",
    "snake": "🐍", "lizard": "🦎", "horse": "🐎", "cow": "🐄", "pig": "🐖", "sheep": "🐑", "elephant": "🐘",
    "car": "🚗", "bus": "🚌", "bicycle": "🚲", "scooter": "🛴", "motorbike": "🏍", "train": "🚂",
    "aeroplane": "✈", "rocket": "🚀", "boat": "⛵", "anchor": "⚓",
    "book": "📕", "books": "📚", "notebook": "📓", "newspaper": "📰", "envelope": "✉", "package": "📦",
    "calendar": "📅", "clipboard": "📋", "globe": "🌍", "magnifier": "🔍", "lamp": "🪔", "chair": "🪑",
    "bed": "🛏", "couch": "🛋", "toilet": "🚽", "bathtub": "🛁", "soap": "🧼", "sponge": "🧽",
    "toothbrush": "🪥", "roll": "🧻", "broom": "🧹", "basket": "🧺", "mirror": "🪞", "door": "🚪",
    "window": "🪟", "umbrella": "☂", "pill": "💊", "syringe": "💉", "thermometer": "🌡", "compass": "🧭",
    "money": "💵", "coin": "🪙", "gem": "💎", "ring": "💍", "bell": "🔔", "flashlight-battery": "🪫",
    "vase": "🏺", "teacup": "🫖", "fire-extinguisher": "🧯", "abacus": "🧮", "microscope": "🔬",
    "telescope": "🔭", "satellite": "📡", "test-tube": "🧪", "petri-dish": "🧫", "dna": "🧬",
}

BACKDROPS = [(250, 250, 250), (238, 236, 230), (226, 220, 205), (200, 200, 200), (168, 168, 170),
             (196, 160, 118), (150, 110, 75), (215, 228, 238), (235, 215, 220), (60, 62, 66), (30, 30, 30)]


def emoji_picture(char: str) -> np.ndarray:
    """(H, W, 4) RGBA: the emoji drawn at the font's bitmap size, cropped to what it covers."""
    font = ImageFont.truetype(str(EMOJI_FONT), EMOJI_SIZE)
    canvas = Image.new("RGBA", (EMOJI_SIZE * 2, EMOJI_SIZE * 2), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((EMOJI_SIZE // 4, EMOJI_SIZE // 4), char, font=font, embedded_color=True)
    box = canvas.getbbox()
    if box is None:
        raise ValueError(f"the emoji font draws nothing for {char!r}")
    return np.asarray(canvas.crop(box))


def object_photo(char: str, seed: int, side: int = 420) -> np.ndarray:
    """(side, side, 3) uint8: the object turned a little, on a lit backdrop with its shadow."""
    rng = np.random.default_rng(seed)
    rgba = emoji_picture(char).astype(np.float32) / 255.0
    scale = side * rng.uniform(0.4, 0.75) / max(rgba.shape[:2])
    rgba = cv2.resize(rgba, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    h, w = rgba.shape[:2]
    layer = np.zeros((side, side, 4), np.float32)
    y0, x0 = int(rng.integers(0, side - h + 1)), int(rng.integers(0, side - w + 1))
    layer[y0:y0 + h, x0:x0 + w] = np.clip(rgba, 0, 1)
    turn = cv2.getRotationMatrix2D((side / 2, side / 2), rng.uniform(-15, 15), 1.0)
    layer = cv2.warpAffine(layer, turn, (side, side), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    alpha = layer[..., 3:]
    yy, xx = np.mgrid[0:side, 0:side].astype(np.float32) / side
    base = np.array(BACKDROPS[int(rng.integers(len(BACKDROPS)))], np.float32) / 255.0
    light = 1.0 + 0.12 * (rng.uniform(-1, 1) * xx + rng.uniform(-1, 1) * yy - 0.5 * rng.uniform(0, 1))
    back = base[None, None, :] * light[..., None] * rng.uniform(0.92, 1.05, 3)[None, None, :]
    shadow = cv2.GaussianBlur(alpha[..., 0], (0, 0), rng.uniform(4, 12))
    shadow = np.roll(shadow, (int(rng.integers(3, 14)), int(rng.integers(-10, 11))), axis=(0, 1))
    back = back * (1 - rng.uniform(0.15, 0.35) * shadow[..., None])
    rgb = layer[..., :3] * alpha + back * (1 - alpha)
    rgb = rgb + rng.normal(0, 0.012, rgb.shape)
    return (np.clip(rgb, 0, 1) * 255).round().astype(np.uint8)


def drawable() -> dict[str, str]:
    """The objects the installed font can draw (all of them where the font is present)."""
    if not EMOJI_FONT.is_file():
        return {}
    ok = {}
    for name, char in OBJECTS.items():
        try:
            emoji_picture(char)
            ok[name] = char
        except (ValueError, OSError):
            continue
    return ok
