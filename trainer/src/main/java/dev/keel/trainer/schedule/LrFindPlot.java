package dev.keel.trainer.schedule;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a sweep as fastai shows it: smoothed loss against the learning rate on a log scale, with
 * the suggestion trained with marked. Plain java.awt on an in-memory image, so it needs no display.
 */
public final class LrFindPlot {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color CURVE = new Color(31, 119, 180);
    private static final Color MARK = new Color(214, 39, 40);
    private static final Color GRID = new Color(225, 225, 225);

    private LrFindPlot() {}

    /** Writes the plot as a PNG to {@code file}, atomically (a temporary file renamed). */
    public static void write(LrFinderResult result, Path file) {
        BufferedImage image = render(result);
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer in this JDK");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The plot as an image of {@link #WIDTH} x {@link #HEIGHT} pixels. */
    public static BufferedImage render(LrFinderResult result) {
        // Keel runs on servers and in CI: never ask for a display. Set only when the embedding
        // application has not chosen, and before the first AWT call reads it.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            new Drawing(g, result).draw();
        } finally {
            g.dispose();
        }
        return image;
    }

    /** One drawing: the data's ranges, and the mapping from data to pixels. */
    private static final class Drawing {
        private final Graphics2D g;
        private final LrFinderResult result;
        private final int n;
        private double xMin;
        private double xMax;
        private double yMin;
        private double yMax;
        private boolean text = true;

        Drawing(Graphics2D g, LrFinderResult result) {
            this.g = g;
            this.result = result;
            int finite = 0;
            while (finite < result.steps() && Double.isFinite(result.smoothedLosses()[finite])) {
                finite++;
            }
            this.n = finite;
        }

        void draw() {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            ranges();
            axes();
            curve();
            chosenSuggestion();
            g.setColor(Color.BLACK);
            text(String.format(Locale.ROOT, "Learning-rate finder: %d steps, stopped: %s", result.steps(),
                    result.stop().reason()), WIDTH / 2.0, TOP / 2.0 + 5, 0.5, 14, Font.BOLD);
        }

        private void ranges() {
            double[] lrs = result.lrs();
            double[] losses = result.smoothedLosses();
            xMin = Math.log10(n > 0 ? lrs[0] : result.settings().start());
            xMax = Math.log10(n > 1 ? lrs[n - 1] : result.settings().end());
            if (xMax <= xMin) {
                xMax = xMin + 1;
            }
            // Like fastai's plot, leave the last five points out of the vertical range: that is where
            // the loss blows up, and fitting it in would flatten the part of the curve that matters.
            int fit = n > 10 ? n - 5 : n;
            yMin = Double.POSITIVE_INFINITY;
            yMax = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < fit; i++) {
                yMin = Math.min(yMin, losses[i]);
                yMax = Math.max(yMax, losses[i]);
            }
            if (fit == 0) {
                yMin = 0;
                yMax = 1;
            }
            double pad = Math.max((yMax - yMin) * 0.05, Math.abs(yMax) * 1e-3 + 1e-9);
            yMin -= pad;
            yMax += pad;
        }

        private void axes() {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setStroke(new BasicStroke(1f));
            for (double tick : xTicks()) {
                double x = px(tick);
                g.setColor(GRID);
                g.draw(new Line2D.Double(x, TOP, x, HEIGHT - BOTTOM));
                g.setColor(Color.BLACK);
                g.draw(new Line2D.Double(x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5));
                text(xLabel(tick), x, HEIGHT - BOTTOM + 20, 0.5, 12, Font.PLAIN);
            }
            double step = niceStep((yMax - yMin) / 5);
            int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step)));
            for (double tick = Math.ceil(yMin / step) * step; tick <= yMax; tick += step) {
                double y = py(tick);
                g.setColor(GRID);
                g.draw(new Line2D.Double(LEFT, y, WIDTH - RIGHT, y));
                g.setColor(Color.BLACK);
                g.draw(new Line2D.Double(LEFT - 5, y, LEFT, y));
                text(String.format(Locale.ROOT, "%." + decimals + "f", tick), LEFT - 8, y + 4, 1, 12, Font.PLAIN);
            }
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            text("learning rate (log scale)", LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 15, 0.5, 13, Font.PLAIN);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            // Rotated a quarter turn, x runs up the image and y across it.
            text("smoothed loss", -(TOP + (HEIGHT - TOP - BOTTOM) / 2.0), 22, 0.5, 13, Font.PLAIN);
            g.setTransform(saved);
        }

        private void curve() {
            if (n == 0) {
                return;
            }
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < n; i++) {
                double x = px(Math.log10(result.lrs()[i]));
                double y = py(result.smoothedLosses()[i]);
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            g.setClip(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            g.setColor(CURVE);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            g.setClip(null);
        }

        private void chosenSuggestion() {
            LrSuggestions suggestions = result.suggestions();
            if (!suggestions.any()) {
                return;
            }
            LrSuggestion chosen = result.settings().suggestion();
            double rate = chosen.pick(suggestions);
            double x = px(Math.log10(rate));
            double y = py(result.smoothedLosses()[nearestStep(rate)]);
            g.setColor(MARK);
            g.fill(new Ellipse2D.Double(x - 5, y - 5, 10, 10));
            String label = String.format(Locale.ROOT, "%s %.2e", chosen.title(), rate);
            // Above and to the right of the point, where a falling curve leaves room; flipped left
            // near the right edge.
            boolean left = x > WIDTH - RIGHT - 140;
            text(label, left ? x - 10 : x + 10, y - 10, left ? 1 : 0, 13, Font.BOLD);
        }

        /** The sweep step whose rate is closest to {@code rate} on the log scale (minimum/10 lies between steps). */
        private int nearestStep(double rate) {
            double[] lrs = result.lrs();
            int best = 0;
            for (int i = 1; i < lrs.length; i++) {
                if (Math.abs(Math.log(lrs[i] / rate)) < Math.abs(Math.log(lrs[best] / rate))) {
                    best = i;
                }
            }
            return best;
        }

        private double[] xTicks() {
            int first = (int) Math.ceil(xMin - 1e-9);
            int last = (int) Math.floor(xMax + 1e-9);
            if (last - first >= 1) {
                int stride = (last - first + 10) / 10; // at most ten labelled decades
                int count = (last - first) / stride + 1;
                double[] ticks = new double[count];
                for (int i = 0; i < count; i++) {
                    ticks[i] = first + (double) i * stride;
                }
                return ticks;
            }
            // Less than a decade: five evenly spaced ticks, labelled with their rates.
            double[] ticks = new double[5];
            for (int i = 0; i < 5; i++) {
                ticks[i] = xMin + (xMax - xMin) * i / 4;
            }
            return ticks;
        }

        private static String xLabel(double tick) {
            long decade = Math.round(tick);
            if (Math.abs(tick - decade) < 1e-9) {
                return "1e" + decade;
            }
            return String.format(Locale.ROOT, "%.2g", Math.pow(10, tick));
        }

        /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
        private static double niceStep(double rough) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double fraction = rough / magnitude;
            return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
        }

        private double px(double log10Lr) {
            return LEFT + (log10Lr - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
        }

        private double py(double loss) {
            return HEIGHT - BOTTOM - (loss - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
        }

        /**
         * Draws {@code s} with its anchor {@code align} of the way along it (0 left, 0.5 centre, 1
         * right) at {@code x}. A JDK without any font (a bare container) cannot draw text; the plot
         * then keeps its curve, axes and marks and leaves the words out.
         */
        private void text(String s, double x, double y, double align, int size, int style) {
            if (!text) {
                return;
            }
            try {
                g.setFont(new Font(Font.SANS_SERIF, style, size));
                FontMetrics metrics = g.getFontMetrics();
                g.drawString(s, (float) (x - align * metrics.stringWidth(s)), (float) y);
            } catch (RuntimeException | LinkageError | InternalError | AWTError e) {
                text = false;
            }
        }
    }
}
