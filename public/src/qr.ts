// A QR code drawn on a canvas, black on white with the standard quiet zone, sharp at any
// size (one canvas pixel block per module): what a thermal printer and a phone camera need.
import qrcode from "qrcode-generator";

const QUIET_ZONE = 4;
const PIXELS_PER_MODULE = 6;

export function drawQr(canvas: HTMLCanvasElement, text: string): void {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const modules = qr.getModuleCount();
  const side = (modules + 2 * QUIET_ZONE) * PIXELS_PER_MODULE;
  canvas.width = side;
  canvas.height = side;
  const draw = canvas.getContext("2d")!;
  draw.fillStyle = "#fff";
  draw.fillRect(0, 0, side, side);
  draw.fillStyle = "#000";
  for (let row = 0; row < modules; row++) {
    for (let column = 0; column < modules; column++) {
      if (qr.isDark(row, column)) draw.fillRect((column + QUIET_ZONE) * PIXELS_PER_MODULE, (row + QUIET_ZONE) * PIXELS_PER_MODULE, PIXELS_PER_MODULE, PIXELS_PER_MODULE);
    }
  }
}
