// The adapter seam lives in its own module (no USP inside) so adapters can implement it;
// everything that imports Bridge sees it too.
@_exported import RadioSeam
